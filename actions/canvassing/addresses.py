"""French street addresses, read for walking: the number and its side of the street, the
street, the flat; doors grouped by building; buildings in the order one walks them."""

import re
from dataclasses import dataclass

from contacts.normalize import search_key

# Abbreviations found in files (La Poste's list, the most common), spelled out for the key.
_WORDS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "r": "rue",
    "pl": "place",
    "all": "allee",
    "imp": "impasse",
    "ch": "chemin",
    "che": "chemin",
    "rte": "route",
    "fg": "faubourg",
    "faub": "faubourg",
    "crs": "cours",
    "sq": "square",
    "qu": "quai",
    "res": "residence",
    "st": "saint",
    "ste": "sainte",
}
_FLAT_WORDS = (
    "apt",
    "appt",
    "app",
    "appartement",
    "bat",
    "batiment",
    "esc",
    "escalier",
    "etage",
    "etg",
    "porte",
    "log",
    "logement",
    "residence",
    "res",
    "chez",
)
_NUMBER = re.compile(r"^\s*(\d{1,5})\s*(bis|ter|quater|[a-dA-D](?=[\s,]))?[\s,]+(.+)$", re.I)


@dataclass(frozen=True)
class Address:
    number: int | None
    suffix: str
    street: str  # as written, without the number
    street_key: str  # for grouping and sorting: lower case, no accents, words spelled out
    flat: str


def read_address(line: str) -> Address:
    """`12 bis av. Jean-Jaurès, Bât B apt 12` → 12, bis, `av. Jean-Jaurès`, `Bât B apt 12`."""
    parts = [p.strip() for p in (line or "").split(",") if p.strip()]
    street_parts: list[str] = []
    flat_parts: list[str] = []
    for part in parts:
        first = search_key(part).split(" ")[0] if search_key(part) else ""
        (flat_parts if first in _FLAT_WORDS and len(parts) > 1 else street_parts).append(part)
    if not street_parts:  # only flat words: keep the line as the street
        street_parts, flat_parts = parts, []
    street = ", ".join(street_parts)
    number, suffix = None, ""
    match = _NUMBER.match(street)
    if match:
        number, suffix, street = int(match.group(1)), (match.group(2) or "").lower(), match.group(3)
    words = [_WORDS.get(w, w) for w in search_key(street).split()]
    return Address(
        number=number,
        suffix=suffix,
        street=street.strip(),
        street_key=" ".join(words),
        flat=", ".join(flat_parts),
    )


# 12, 12 bis (or 12 A), 12 ter (12 B), 12 quater (12 C): the order the houses stand in.
_SUFFIX_RANK = {"": 0, "bis": 1, "a": 1, "ter": 2, "b": 2, "quater": 3, "c": 3, "d": 4}


def _natural(text: str) -> tuple:
    """ "Apt 9" before "Apt 10": the digits compared as numbers, the rest as words."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", search_key(text)))


def walk_order(postal_code: str, address: Address) -> tuple:
    """Up one side of the street and back down the other: odd numbers rising (12, 12 bis,
    12 ter), then even numbers falling (12 ter, 12 bis, 12); addresses without a number at
    the end of their street; flats in a building in their natural order (2 before 10)."""
    suffix = _SUFFIX_RANK.get(address.suffix, 5)
    if address.number is None:
        side, along = 2, (0, 0)
    elif address.number % 2:
        side, along = 0, (address.number, suffix)
    else:
        side, along = 1, (-address.number, -suffix)
    return (postal_code, address.street_key, side, along, _natural(address.flat))
