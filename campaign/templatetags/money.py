"""{% load money %}: every amount on every page, written as the reader's language writes it."""

from decimal import Decimal

from django import template

from campaign.money import money_format

register = template.Library()


@register.filter
def money(value, unit: str = "cents") -> str:
    """{{ gift.amount_cents|money }} → "6 050,00 €" (French) or "€6,050.00" (English); an
    amount kept in euros, such as an estimated SMS cost, says so: {{ cost|money:"euros" }}.
    Nothing (a sum over no rows) is zero."""
    amount = Decimal(str(value if value not in (None, "") else 0))
    return money_format(amount * 100 if unit == "euros" else amount)
