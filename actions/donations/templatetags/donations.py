from django import template

from ..rules import euros as _euros

register = template.Library()


@register.filter
def euros(cents) -> str:
    """1250 → 12,50 €."""
    return _euros(int(cents or 0))
