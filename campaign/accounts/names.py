"""How Terrain names a user: one name on every page, list, timeline and export ("Lucas
Petit", not "lucas" here and "Lucas" there)."""

from typing import Protocol

NAME_FIELDS = ("first_name", "last_name", "username")  # name_from's arguments, in order


class Named(Protocol):
    first_name: str
    last_name: str

    def get_username(self) -> str: ...


def display_name(user: Named | None) -> str:
    """ "First Last" when the account has a name, else its username; "" for nobody."""
    if user is None:
        return ""
    return name_from(user.first_name, user.last_name, user.get_username())


def name_from(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """The same name from a user's fields, for rows read with values()."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")
