"""What a text costs and says: GSM-7 or UCS-2, segments, merge fields, opt-out keywords."""

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from campaign.mail.fields import FIELD_PATTERN, MERGE_FIELDS, merge_fields_unknown

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


# Merge fields, in French and English: the same as emails' (campaign.mail.fields).
def unknown_fields(body: str) -> list[str]:
    return merge_fields_unknown(body)


def render(body: str, values: dict[str, str], *, opt_out_line: str = "") -> str:
    """The text for one person: merge fields filled (empty when unknown), the opt-out line."""
    text = FIELD_PATTERN.sub(lambda m: values.get(MERGE_FIELDS.get(m.group(1), ""), "") or "", body)
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
        "DESINSCRIRE",
        "DESINSCRIPTION",
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
# The keywords that mean nothing but "stop texting me": a short reply starting or ending with
# one opts out ("stop svp", "Merci, stop"). CANCEL, END, QUIT and REVOKE are ordinary English
# words ("cancel svp" may be about a meeting), so they count only as the whole reply.
CLEAR_OPT_OUT = (
    ("STOP",),
    ("ARRET",),
    ("STOPALL",),
    ("DESABONNER",),
    ("DESINSCRIRE",),
    ("DESINSCRIPTION",),
    ("UNSUBSCRIBE",),
    ("OPTOUT",),
    ("OPT", "OUT"),
)
FEW_WORDS = 4  # "STOP SVP MERCI" is a request; a longer sentence is read by a human
# "pas stop", "ne stop pas", "non stop", "don't stop" (DON T): not a request to stop texting.
# NE alone is left out: "ne plus recevoir, stop" is one.
NEGATIONS = frozenset({"PAS", "NON", "JAMAIS", "NO", "NOT", "NEVER", "DONT", "DON", "T"})

# Cyrillic and Greek letters that look like the Latin letters of the words above (A B C D E I J
# K L M N O P Q R S T U V), taken from Unicode's confusables (UTS #39, confusables.txt), so that
# "ЅТОР" (Cyrillic Ѕ Т О Р) reads STOP. Only what confusables.txt lists: Cyrillic С is a C, not
# an S, and lower-case т is no T. It maps capital iotas to "l" (itself confusable with I); as
# capitals, here they are "I".
LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic capitals
        "\u0405": "S",  # Ѕ DZE
        "\u0406": "I",  # І BYELORUSSIAN-UKRAINIAN I
        "\u0408": "J",  # Ј JE
        "\u0410": "A",  # А
        "\u0412": "B",  # В VE
        "\u0415": "E",  # Е IE
        "\u041a": "K",  # К KA
        "\u041c": "M",  # М EM
        "\u041e": "O",  # О
        "\u0420": "P",  # Р ER
        "\u0421": "C",  # С ES
        "\u0422": "T",  # Т TE
        "\u0474": "V",  # Ѵ IZHITSA
        "\u04c0": "I",  # Ӏ PALOCHKA
        # Cyrillic small letters
        "\u0430": "a",  # а
        "\u0433": "r",  # г GHE
        "\u0435": "e",  # е IE
        "\u043e": "o",  # о
        "\u0440": "p",  # р ER
        "\u0441": "c",  # с ES
        "\u0455": "s",  # ѕ DZE
        "\u0456": "i",  # і BYELORUSSIAN-UKRAINIAN I
        "\u0458": "j",  # ј JE
        "\u0475": "v",  # ѵ IZHITSA
        "\u04bd": "e",  # ҽ ABKHASIAN CHE
        "\u04cf": "i",  # ӏ PALOCHKA
        "\u0501": "d",  # ԁ KOMI DE
        "\u051b": "q",  # ԛ QA
        # Greek capitals
        "\u0391": "A",  # Α ALPHA
        "\u0392": "B",  # Β BETA
        "\u0395": "E",  # Ε EPSILON
        "\u0399": "I",  # Ι IOTA
        "\u039a": "K",  # Κ KAPPA
        "\u039c": "M",  # Μ MU
        "\u039d": "N",  # Ν NU
        "\u039f": "O",  # Ο OMICRON
        "\u03a1": "P",  # Ρ RHO
        "\u03a4": "T",  # Τ TAU
        "\u03f9": "C",  # Ϲ LUNATE SIGMA
        "\u03fa": "M",  # Ϻ SAN
        # Greek small letters
        "\u03b1": "a",  # α ALPHA
        "\u03b9": "i",  # ι IOTA
        "\u03bd": "v",  # ν NU
        "\u03bf": "o",  # ο OMICRON
        "\u03c1": "p",  # ρ RHO
        "\u03c3": "o",  # σ SIGMA
        "\u03c5": "u",  # υ UPSILON
        "\u03f1": "p",  # ϱ RHO SYMBOL
        "\u03f2": "c",  # ϲ LUNATE SIGMA
    }
)
_INVISIBLE = frozenset({"Cf", "Mn", "Me"})  # zero-width and format characters, accents
_ZERO_IN_A_WORD = re.compile(r"\b(?=[A-Z0]*[A-Z])[A-Z0]+\b")  # ST0P, but not 2024


def keyword(body: str) -> str:
    """STOP, Arrêt !, « stop sms », ЅТОР in Cyrillic, ST0P, STOP with a zero-width space inside
    → "STOP"...: upper case, Latin letters, no accents, punctuation or invisible characters."""
    decomposed = unicodedata.normalize("NFKD", body)  # fullwidth letters, no-break spaces
    visible = "".join(c for c in decomposed if unicodedata.category(c) not in _INVISIBLE)
    plain = visible.translate(LOOK_ALIKES).upper()
    words = re.sub(r"[^A-Z0-9]+", " ", plain)
    return " ".join(_ZERO_IN_A_WORD.sub(lambda m: m.group().replace("0", "O"), words).split())


def _starts_or_ends_with(words: list[str], phrase: tuple[str, ...]) -> bool:
    return tuple(words[: len(phrase)]) == phrase or tuple(words[-len(phrase) :]) == phrase


def classify(body: str) -> str:
    """ "opt_out", "opt_in", "review" or "reply". A keyword alone opts out or in; a reply of a
    few words starting or ending with a clear STOP keyword opts out too ("stop svp", "Merci,
    stop"), unless a negation is among them ("pas stop"); a STOP anywhere else is kept for a
    human to review."""
    word = keyword(body)
    if word in OPT_OUT:
        return "opt_out"
    if word in OPT_IN:
        return "opt_in"
    words = word.split()
    few = len(words) <= FEW_WORDS and NEGATIONS.isdisjoint(words)
    if few and any(_starts_or_ends_with(words, phrase) for phrase in CLEAR_OPT_OUT):
        return "opt_out"
    if any((w,) in CLEAR_OPT_OUT for w in words):
        return "review"
    return "reply"
