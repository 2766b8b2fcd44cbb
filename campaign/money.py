"""Money as people read and type it: "6 050,00 €" in French, "€6,050.00" in English.

Amounts are integer cents everywhere in Terrain; this is where they become text for a page,
a message or a PDF (templates use the `money` filter, campaign/templatetags/money.py). French
typography groups thousands with a narrow no-break space (U+202F) and puts a no-break space
(U+00A0) before the sign, as the CLDR's "#,##0.00 ¤" does; English writes the sign first.
Django's own French format groups with a full no-break space, hence this small table rather
than number_format. CSV exports and the API keep plain decimals ("6050.00"), never this.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import get_language

# Per language: the decimal mark, the thousands separator, and where the sign goes.
STYLES = {
    "fr": (",", "\u202f", "{amount}\u00a0€"),
    "en": (".", ",", "€{amount}"),
}
CENT = Decimal("0.01")


def _style(language: str | None) -> tuple[str, str, str]:
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return STYLES.get(code) or STYLES[settings.LANGUAGE_CODE]


def money_format(cents: int | Decimal, *, language: str | None = None, whole: bool = False) -> str:
    """1250 → "12,50 €" (French) or "€12.50" (English), in the active language unless
    `language` says which (a French tax receipt stays French). `whole` leaves out the cents
    of a round amount, as a button offering a gift reads: "35 €", "€35"."""
    if isinstance(cents, float):
        raise TypeError("money is never a float")
    value = (Decimal(cents) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    mark, separator, pattern = _style(language)
    units, _, fraction = f"{abs(value):.2f}".partition(".")
    grouped = f"{int(units):,}".replace(",", separator)
    number = grouped if whole and fraction == "00" else f"{grouped}{mark}{fraction}"
    text = pattern.format(amount=number)
    return f"-{text}" if value < 0 else text


def money_input(cents: int, *, language: str | None = None) -> str:
    """An amount as a form shows it to be edited: "35", "35,50" (French), "35.50" (English);
    no grouping, no sign, so that it reads back as typed."""
    value = Decimal(cents) / 100
    if value == value.to_integral_value():
        return str(int(value))
    mark = _style(language)[0]
    return f"{value:.2f}".replace(".", mark)


def money_parse(text: str, *, language: str | None = None) -> int:
    """What a person typed, in cents: "35", "35,50", "1 250,5 €" in French (a point is read as
    the decimal mark too); "35.50", "1,250" in English, where a comma groups thousands.
    ValueError when it is no amount, or finer than a cent."""
    mark = _style(language)[0]
    cleaned = "".join(ch for ch in text if not ch.isspace()).replace("€", "")
    cleaned = cleaned.replace(",", "") if mark == "." else cleaned.replace(",", ".")
    if not cleaned or cleaned.count(".") > 1:
        raise ValueError(f"not an amount: {text!r}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {text!r}") from error
    if not value.is_finite() or value != value.quantize(CENT):
        raise ValueError(f"not an amount in euros and cents: {text!r}")
    return int(value * 100)
