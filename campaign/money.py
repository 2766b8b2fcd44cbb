"""Money as people read and type it: "6 050,00 €" in French, "€6,050.00" in English.

Amounts are integer cents everywhere in Terrain; this is where they become text for a page,
a message or a PDF (templates use the `money` filter, campaign/templatetags/money.py). French
typography groups thousands with a narrow no-break space (U+202F) and puts a no-break space
(U+00A0) before the sign, as the CLDR's "#,##0.00 ¤" does; English writes the sign first.
Django's own French format groups with a full no-break space, hence this small table rather
than number_format. CSV exports and the API keep plain decimals ("6050.00"), never this.

The way back is here too, one reader for every door (a staff form, the public page, a
provider's export, the API): money_parse reads what people and spreadsheets write, French or
English, and money_amount refuses what cannot be given (zero, negative, NaN, infinities).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


class AmountError(ValueError):
    """An amount refused, with why in words for whoever typed or sent it (in the active
    language): a form shows `message`, the API answers it, an import gives it for its line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Ten thousand billion euros: beyond any gift or goal, and far inside the database's
# integers (9.2 × 10¹⁸ cents); a longer number is a slip, never money.
MAX_CENTS = 10**15
MAX_WRITTEN = 40  # characters: "EUR 1 000 000 000 000,00" and more, never a page of text
# How people write an amount around its number: a sign, "€" or "EUR" before or after.
_CURRENCY = r"(?:€|eur(?:os?)?)"
_WRITTEN = re.compile(
    rf"(?P<sign>[-+\u2212])?\s*(?P<before>{_CURRENCY})?\s*(?P<sign_after>[-+\u2212])?\s*"
    r"(?P<number>[0-9](?:[0-9.,]|\s+(?=[0-9]))*)"
    rf"\s*(?P<after>{_CURRENCY})?",
    re.IGNORECASE,
)


def money_parse(text: str, *, language: str | None = None) -> int:
    """What a person typed or a spreadsheet wrote, in cents, sign kept: French and English
    ways alike ("4 600,00 €", "4600.50", "€4,600.00", "1.000,50", "EUR 35", "-5,00"), any
    space grouping thousands (U+00A0, U+202F). Where both marks appear, the last one is the
    decimal mark; a single mark before one or two digits is one too. A single mark before
    three digits is a thousands separator only where the language groups with it ("1,000"
    in English); elsewhere it could be either, and is refused rather than guessed.
    AmountError when it is no amount (NaN, infinities…), finer than a cent, or absurdly large."""
    unreadable = AmountError(_("This amount cannot be read."))
    written = re.sub(r"\s+", " ", text).strip()  # one space at most: the pattern stays linear
    if len(written) > MAX_WRITTEN:
        raise unreadable
    negative = written.startswith("(") and written.endswith(")")  # accounting's way
    if negative:
        written = written[1:-1].strip()
    shape = _WRITTEN.fullmatch(written)
    if not shape or not shape["number"][-1].isdigit():
        raise unreadable
    if (shape["before"] and shape["after"]) or (shape["sign"] and shape["sign_after"]):
        raise unreadable
    sign = shape["sign"] or shape["sign_after"] or ""
    negative = negative or sign in ("-", "\u2212")
    number = shape["number"]

    marks = [ch for ch in number if ch in ",."]
    mark = marks[-1] if marks else ""
    if mark and marks.count(mark) > 1:
        mark = ""  # "1.000.000": a mark written twice groups, it does not part the cents
    elif mark and len(set(marks)) == 1 and len(number.rpartition(mark)[2]) == 3:
        units = number.rpartition(mark)[0]
        if mark == _style(language)[1]:
            mark = ""  # "1,000" in English
        elif units.strip("0"):
            raise AmountError(
                _(
                    "“%(amount)s” can be read two ways: write the euros without a thousands "
                    "separator, e.g. 1000 or 1000.50."
                )
                % {"amount": written}
            )
    units, _mark, fraction = number.rpartition(mark) if mark else (number, "", "")
    if not fraction.isdigit() and mark:
        raise unreadable
    if len(fraction) > 2:
        raise AmountError(_("Amounts are in euros and cents."))
    groups = re.split(r"[ .,]", units)
    separators = set(re.findall(r"[ .,]", units))
    if len(separators) > 1 or (mark and mark in separators):
        raise unreadable
    if separators and not (
        1 <= len(groups[0]) <= 3
        and not groups[0].startswith("0")
        and all(len(group) == 3 for group in groups[1:])
    ):
        raise unreadable
    value = Decimal("".join(groups) + "." + (fraction or "0"))
    return money_cents(-value if negative else value)


def money_cents(value: Decimal | int) -> int:
    """An exact amount in euros (an API's decimal, a spreadsheet's number) in cents.
    AmountError when it is no number (NaN, infinities), finer than a cent or absurdly large."""
    if isinstance(value, float):
        raise TypeError("money is never a float")
    value = Decimal(value)
    if not value.is_finite():
        raise AmountError(_("This amount cannot be read."))
    if abs(value) * 100 > MAX_CENTS:
        raise AmountError(_("This amount is too large."))
    if value != value.quantize(CENT):
        raise AmountError(_("Amounts are in euros and cents."))
    return int(value * 100)


def money_amount(value: str | Decimal | int, *, language: str | None = None) -> int:
    """An amount given or asked for, in cents: read as money_parse or money_cents do, and
    more than zero. AmountError saying why otherwise (zero, negative, unreadable…)."""
    if isinstance(value, str):
        amount = money_parse(value, language=language)
    else:
        amount = money_cents(value)
    if amount <= 0:
        raise AmountError(_("The amount must be more than zero."))
    return amount
