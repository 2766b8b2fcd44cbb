"""Merge fields, shared by texts and emails: {prenom}, {nom}, {commune} and their English
names, each naming the contact's field it is filled from."""

import re
from collections.abc import Collection

# Merge fields, in French and English → the contact's field.
MERGE_FIELDS: dict[str, str] = {
    "prenom": "first_name",
    "first_name": "first_name",
    "nom": "last_name",
    "last_name": "last_name",
    "commune": "commune",
    "town": "commune",
    "city": "commune",
}
FIELD_PATTERN = re.compile(r"\{(\w+)\}")


def merge_fields_unknown(text: str, *, extra: Collection[str] = ()) -> list[str]:
    """The merge fields `text` names that are neither a contact's nor one of `extra`."""
    known = MERGE_FIELDS.keys() | set(extra)
    return sorted({name for name in FIELD_PATTERN.findall(text) if name not in known})


# A merge field with the space before it and whether a comma or a full stop follows.
_FILLED = re.compile(r"( ?)\{(\w+)\}(?=([,.]?))")


def merge_fields_fill(text: str, values: dict[str, str], *, escape=str) -> str:
    """`text` with each merge field replaced by its value passed through `escape`; empty
    when unknown or missing, taking the space before it along when a comma or a full stop
    follows ("Bonjour {prenom}," reads "Bonjour,"). One pass: a value that reads {prenom}
    stays as it is."""

    def value(match: re.Match) -> str:
        space, name, stop = match.groups()
        found = values.get(name, values.get(MERGE_FIELDS.get(name, ""), "")) or ""
        if found:
            return space + escape(found)
        return "" if stop else space

    return _FILLED.sub(value, text)
