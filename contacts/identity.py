"""One person, one record: who a person is by the keys an import matches them by (an email,
else the same name and address: contacts.imports.merge), a lock on those keys so that two
writes at the same instant cannot both create them, and the records that are one person
(duplicates not merged yet) for what the law counts per person (a donor's caps)."""

from datetime import date

from django.db.models import Q

from campaign.locks import transaction_lock

from .models import Contact, ContactEmail
from .normalize import identity_key, search_key


def person_identity(
    *, first_name: str, last_name: str, street: str, postal_code: str, birth: date | None = None
) -> str:
    """The name-and-address key a person is matched by when no email knows them, as an
    import's row makes it: "" without a street (a postal code alone is not an address)."""
    if not street.strip():
        return ""
    return identity_key(
        last_key=search_key(last_name),
        first_key=search_key(first_name),
        birth=birth.isoformat() if birth else "",
        postal_code=postal_code.strip(),
        street_key=search_key(street),
    )


def identity_lock(*, email: str = "", identity: str = "") -> None:
    """Hold the person behind this email, and behind this name and address, until the
    transaction ends: a second write for them waits, then finds the record the first made.
    The email first, then the identity, always in that order (two writes never wait on each
    other in a circle). PostgreSQL only: SQLite lets one writer in at a time already."""
    email = email.strip().lower()
    if email:
        transaction_lock(f"person:email:{email}")
    if identity:
        transaction_lock(f"person:identity:{identity}")


def person_find(*, email: str = "", identity: str = "") -> Contact | None:
    """The contact an import would match: by email, else by name and address; the oldest
    record when duplicates share the key. Call under identity_lock to create one if none."""
    email = email.strip().lower()
    if email:
        known = ContactEmail.objects.filter(address=email).order_by("contact_id").first()
        if known is not None:
            return Contact.objects.get(pk=known.contact_id)
    if identity:
        return Contact.objects.filter(identity_key=identity).order_by("pk").first()
    return None


def person_records(contact_id: int) -> list[int]:
    """The records that are the same person as `contact_id` by the imports' rules: the
    contact itself and every other sharing one of its emails or its name and address,
    oldest first (duplicates staff have not merged yet, or that an organizer's write made
    beside a record outside their territories). Campaign-wide: the law counts a person."""
    contact = Contact.objects.filter(pk=contact_id).values("identity_key").first()
    if contact is None:
        return [contact_id]
    emails = ContactEmail.objects.filter(contact_id=contact_id).values("address")
    same = Q(pk=contact_id) | Q(emails__address__in=emails)
    if contact["identity_key"]:
        same |= Q(identity_key=contact["identity_key"])
    return sorted(set(Contact.objects.filter(same).values_list("pk", flat=True)))


def records_lock(contact_ids: list[int]) -> None:
    """Hold one person known under these records until the transaction ends (named by the
    oldest, so every door that finds any of them takes the same lock). Taken after
    identity_lock, never before it."""
    transaction_lock(f"person:records:{min(contact_ids)}")
