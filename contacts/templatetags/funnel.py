from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.4237 → "42 %" ("4.2 %" under ten); None → "—"."""
    if value is None:
        return "—"
    digits = 1 if 0 < value < 0.1 else 0
    return f"{number_format(value * 100, digits)}\u202f%"


@register.filter
def heat(value) -> str:
    """A share as the background of a cohort cell: darker is more."""
    if value is None:
        return "transparent"
    return f"rgba(31, 79, 168, {min(max(value, 0), 1) * 0.85 + 0.05:.2f})"


@register.filter
def heat_ink(value) -> str:
    return "#fff" if value is not None and value >= 0.45 else "inherit"


@register.filter
def euros(cents) -> str:
    return f"{number_format((cents or 0) / 100, 0, force_grouping=True)}\u202f€"
