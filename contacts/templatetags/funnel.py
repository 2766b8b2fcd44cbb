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
    """A share as the background of a cohort cell: darker is more, and never so dark that the
    page's ink falls under a contrast of 4.5:1 on it (4.7 at 100 %; WCAG AA)."""
    if value is None:
        return "transparent"
    return f"rgba(31, 79, 168, {min(max(value, 0), 1) * 0.6 + 0.05:.2f})"


@register.filter
def heat_ink(value) -> str:
    """The ink on a cohort cell: the page's own on every shade heat() gives (white on the
    middle shades read at 2:1)."""
    return "inherit"
