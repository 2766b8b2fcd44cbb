"""Turning what people type into values we can match on: phone numbers and search keys."""

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import phonenumbers
from django.conf import settings
from phonenumbers import PhoneMetadata, PhoneNumberType

_PUNCTUATION = re.compile(r"[\W_]+")
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


def identity_key(
    *, last_key: str, first_key: str, birth: str, postal_code: str, street_key: str
) -> str:
    """`dupont|marie|1953-04-02|69001|12 rue de la paix`, or "" without a name and an address."""
    if not (last_key and first_key and (street_key or postal_code)):
        return ""
    return f"{last_key}|{first_key}|{birth}|{postal_code}|{street_key}"[:400]


def search_key(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: `Jean-Noël` → `jean noel`,
    `3, rue de l'Église` → `3 rue de l eglise`. Letters of any script are kept."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_PUNCTUATION.sub(" ", stripped.lower()).split())


def search_words(*, first_key: str, last_key: str, commune_key: str) -> str:
    """The words a person is found by, from their keys: `le goff frederique lyon legoff`.
    A name of several words is also there in one piece, so `dalmeida` finds `d almeida` and
    `ndiaye` finds `n diaye`. contacts.selectors.contact_search_q matches each word of a
    query to the start of one of these; search_words_sql writes the same in SQL."""
    parts = [first_key, last_key, commune_key]
    parts += [key.replace(" ", "") for key in (first_key, last_key) if " " in key]
    return " ".join(part for part in parts if part)


def search_words_sql(*, first_key: str, last_key: str, commune_key: str) -> str:
    """search_words as an SQL expression of three SQL expressions (PostgreSQL and SQLite),
    for the imports' set-based writes and the migration that filled the column."""
    parts = [first_key, last_key, commune_key]
    pieces = [f"CASE WHEN {part} <> '' THEN ' ' || {part} ELSE '' END" for part in parts]
    pieces += [
        f"CASE WHEN REPLACE({key}, ' ', '') <> {key} THEN ' ' || REPLACE({key}, ' ', '') "
        "ELSE '' END"
        for key in (first_key, last_key)
    ]
    return f"SUBSTR({' || '.join(pieces)}, 2)"


def _french_phone_patterns():
    """France's number plan from phonenumbers' own metadata, so the fast path cannot disagree."""
    meta = PhoneMetadata.metadata_for_region("FR")
    kinds = [("mobile", meta.mobile), ("landline", meta.fixed_line)]
    others = [
        meta.toll_free,
        meta.premium_rate,
        meta.shared_cost,
        meta.voip,
        meta.uan,
        meta.personal_number,
        meta.pager,
        meta.voicemail,
    ]
    kinds += [
        ("other", desc) for desc in others if desc is not None and desc.national_number_pattern
    ]
    return meta.general_desc.national_number_pattern, [
        (k, d.national_number_pattern) for k, d in kinds
    ]


def phone_read_many(values, regions=None):
    """phone_read over a pandas Series, vectorized for the French shapes that make up nearly
    every real file (06…, +33 6…, 0033 6…, +33 (0)6…, 6…); anything else goes through
    phone_read one by one. `regions` (a Series of ISO codes, "" for the default) reads a
    national number as the row's country writes it. Returns a DataFrame with columns raw,
    e164, kind."""
    raw = values.fillna("").astype(str).str.strip()
    if regions is None:
        regions = pd.Series("", index=values.index, dtype="object")
    result = pd.DataFrame({"raw": raw, "e164": "", "kind": "unknown"}, index=values.index)
    if not (raw != "").any():  # an empty column (a file without a second phone)
        return result
    plain = raw.str.fullmatch(r"[0-9 .\-/()+]*") & (raw.str.count(r"\+") <= 1)
    plain &= ~raw.str.contains(r"\+", regex=True) | raw.str.match(r"^\s*\+")
    digits = raw.str.replace(r"[^0-9+]", "", regex=True)
    nsn = digits.str.extract(r"^(?:0|(?:\+|00)330?)?([1-9]\d{8})$", expand=False)
    fast = plain & nsn.notna() & (settings.PHONE_DEFAULT_REGION == "FR")
    fast &= regions.isin(["", "FR"]) | raw.str.match(r"^\s*(\+|00)")
    general, kinds = _french_phone_patterns()
    valid = fast & nsn.str.fullmatch(general).fillna(False).astype(bool)
    typed = pd.Series(False, index=values.index)
    for kind, pattern in kinds:
        hit = valid & ~typed & nsn.str.fullmatch(pattern).fillna(False).astype(bool)
        result.loc[hit, "kind"] = kind
        result.loc[hit, "e164"] = "+33" + nsn[hit]
        typed |= hit
    slow = ~fast & (raw != "")
    for index in raw.index[slow]:
        reading = phone_read(raw[index], region=regions[index] or None)
        result.at[index, "e164"] = reading.e164
        result.at[index, "kind"] = reading.kind
    return result


def search_key_many(values):
    """search_key over a pandas Series, computed once per distinct value."""
    unique = values.unique()
    return values.map(dict(zip(unique, map(search_key, unique), strict=True)))
