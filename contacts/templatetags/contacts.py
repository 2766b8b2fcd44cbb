from django import template
from django.utils.html import format_html_join

from contacts.models import Channel, ConsentStatus
from contacts.normalize import phone_display

register = template.Library()


@register.simple_tag
def phone(p) -> str:
    """A phone as people read it (06 12 34 56 78), or its raw text when it could not be read."""
    return phone_display(p.e164) if p.e164 else p.raw


@register.simple_tag
def consent_badges(contact) -> str:
    """One small badge per channel with granted consent; uses the prefetched consents."""
    granted = {c.channel for c in contact.consents.all() if c.status == ConsentStatus.GRANTED}
    badges = [(value, label) for value, label in Channel.choices if value in granted]
    if not badges:
        return "—"
    return format_html_join(
        " ",
        '<span class="consent granted" title="{1}">{0}</span>',
        ((label, label) for _v, label in badges),
    )


@register.filter
def dictget(mapping: dict, key):
    """{{ mapping|dictget:key }}: a dict value by a key that is not a plain word."""
    return mapping.get(key, "")


@register.filter
def pair_sides(candidate):
    """[("a", contact_a), ("b", contact_b)] for a possible duplicate."""
    return [("a", candidate.contact_a), ("b", candidate.contact_b)]
