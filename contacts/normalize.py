"""Turning what people type into values we can match on: phone numbers and search keys."""

import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from phonenumbers import PhoneNumberType

_KIND_BY_TYPE = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "other",
    PhoneNumberType.VOIP: "other",
}


@dataclass(frozen=True)
class PhoneReading:
    raw: str
    e164: str  # empty when the number could not be read
    kind: str  # mobile, landline, other, unknown

    @property
    def is_valid(self) -> bool:
        return bool(self.e164)


def phone_read(raw: str, *, region: str | None = None) -> PhoneReading:
    """Read a phone number as typed (06 12 34 56 78, +33 6…, 0033 6…, 6 12…) into E.164.

    A number that cannot be read keeps its raw text with an empty `e164`, so it is
    flagged for a human rather than dropped.
    """
    raw = (raw or "").strip()
    region = region or settings.PHONE_DEFAULT_REGION
    # phonenumbers reads national (06…), international (+33 6…, 0033 6…) and
    # zero-less (6 12…) French forms once it knows the default region.
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and not phonenumbers.is_valid_number(number):
        number = None
    if number is None:
        return PhoneReading(raw=raw, e164="", kind="unknown")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    kind = _KIND_BY_TYPE.get(phonenumbers.number_type(number), "other")
    return PhoneReading(raw=raw, e164=e164, kind=kind)


def phone_display(e164: str) -> str:
    """+33612345678 → 06 12 34 56 78 for French numbers, international format otherwise."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == settings.PHONE_DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def search_key(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: `Jean-Noël` → `jean noel`."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in "-'’‐_.":
        stripped = stripped.replace(mark, " ")
    return " ".join(stripped.lower().split())
