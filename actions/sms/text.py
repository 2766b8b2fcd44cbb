"""What a text costs and says: GSM-7 or UCS-2, segments, merge fields, opt-out keywords."""

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

# The GSM 03.38 default alphabet; the extension table's characters take two septets.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


class Encoding(StrEnum):
    GSM7 = "GSM-7"  # 160 characters a segment, 153 when split
    UCS2 = "UCS-2"  # 70, 67 when split


@dataclass(frozen=True)
class Length:
    encoding: Encoding
    characters: int  # as the phone counts them (septets, or UTF-16 units)
    segments: int
    per_segment: int  # characters per segment at this length
    offenders: str  # characters that forced UCS-2


def measure(text: str) -> Length:
    """How a text travels: one character outside GSM-7 (é is in, ê and ç are not) switches the
    whole text to UCS-2, 70 characters a segment instead of 160."""
    offenders = "".join(sorted({c for c in text if c not in GSM7_BASIC and c not in GSM7_EXTENDED}))
    if offenders:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
        encoding = Encoding.UCS2
    else:
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, multi = 160, 153
        encoding = Encoding.GSM7
    segments = 1 if units <= single else math.ceil(units / multi)
    return Length(
        encoding=encoding,
        characters=units,
        segments=segments,
        per_segment=single if segments == 1 else multi,
        offenders=offenders,
    )


# Merge fields, in French and English.
FIELDS = {
    "prenom": "first_name",
    "first_name": "first_name",
    "nom": "last_name",
    "last_name": "last_name",
    "commune": "commune",
    "town": "commune",
    "city": "commune",
}
_FIELD = re.compile(r"\{(\w+)\}")


def unknown_fields(body: str) -> list[str]:
    return sorted({name for name in _FIELD.findall(body) if name not in FIELDS})


def render(body: str, values: dict[str, str], *, opt_out_line: str = "") -> str:
    """The text for one person: merge fields filled (empty when unknown), the opt-out line."""
    text = _FIELD.sub(lambda m: values.get(FIELDS.get(m.group(1), ""), "") or "", body)
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return f"{text}\n{opt_out_line}" if opt_out_line else text


# What a reply means. Carriers and the CNIL expect these to end texting at once.
OPT_OUT = frozenset(
    {
        "STOP",
        "ARRET",
        "STOP SMS",
        "STOPALL",
        "STOP ALL",
        "DESABONNER",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
        "OPT OUT",
    }
)
OPT_IN = frozenset({"START", "UNSTOP"})


def keyword(body: str) -> str:
    """STOP, Arrêt !, « stop sms » → "STOP SMS"...: upper case, no accents, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", body)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", plain).split())


def classify(body: str) -> str:
    """ "opt_out", "opt_in", "review" (a STOP inside a longer sentence) or "reply"."""
    word = keyword(body)
    if word in OPT_OUT:
        return "opt_out"
    if word in OPT_IN:
        return "opt_in"
    if any(w in ("STOP", "ARRET", "STOPALL", "DESABONNER", "UNSUBSCRIBE") for w in word.split()):
        return "review"
    return "reply"
