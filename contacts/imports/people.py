"""People who come in a few at a time (a petition's signers, a partner's signup form through
the API) merged like an import's rows: matched by email, phone, or name and address, a
new contact created or an existing one completed, tags added."""

import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.db.models import QuerySet

from contacts.identity import person_identity
from contacts.normalize import phone_read, search_key

from .cleaning import group_people
from .merge import TEXT_COLUMNS, MergeCounts, Staging, merge_staged


@dataclass(frozen=True)
class PersonRow:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    postal_code: str = ""
    commune: str = ""
    birth_date: date | None = None
    custom_fields: dict = field(default_factory=dict)


def row_identity(person: PersonRow) -> str:
    """The person's name-and-address key, as an import's row makes it (contacts.identity)."""
    return person_identity(
        first_name=person.first_name,
        last_name=person.last_name,
        street=person.street,
        postal_code=person.postal_code,
        birth=person.birth_date,
    )


def people_frame(people: list[PersonRow]) -> pd.DataFrame:
    """The rows in the shape contacts.imports.merge stages."""
    phones = [phone_read(p.phone) if p.phone.strip() else None for p in people]
    frame = pd.DataFrame({column: [""] * len(people) for column in TEXT_COLUMNS})
    frame["line"] = range(1, len(people) + 1)
    frame["tags"] = "[]"
    for column in ("first_name", "last_name", "street", "postal_code", "commune"):
        frame[column] = [getattr(p, column).strip() for p in people]
    frame["email"] = [p.email.strip().lower() for p in people]
    frame["first_name_key"] = [search_key(p.first_name) for p in people]
    frame["last_name_key"] = [search_key(p.last_name) for p in people]
    frame["commune_key"] = [search_key(p.commune) for p in people]
    frame["birth_date"] = [p.birth_date.isoformat() if p.birth_date else "" for p in people]
    frame["custom_fields"] = [json.dumps(p.custom_fields or {}) for p in people]
    frame["phone_raw"] = [ph.raw if ph else "" for ph in phones]
    frame["phone_e164"] = [ph.e164 if ph else "" for ph in phones]
    frame["phone_kind"] = [ph.kind if ph else "" for ph in phones]
    # Name and address (not a postal code alone) make an identity, as in an import's rows.
    frame["identity"] = [row_identity(p) for p in people]
    return frame


def people_merge(
    *,
    people: list[PersonRow],
    source: str,
    source_detail: str,
    tags: list[str],
    actor_id: int | None,
    activity_summary: str,
    within: QuerySet | None = None,
) -> MergeCounts:
    """Merge `people` into contacts (call inside a transaction); the counts carry each
    person's contact id, in order. `within` (an actor's `contacts_visible_to`) bounds the
    contacts they may match and complete, as in an organizer's import."""
    staging = Staging()
    staging.add(people_frame(people))
    return merge_staged(
        staging=staging,
        groups=group_people(staging.keys_frame()),
        source_detail=source_detail[:255],
        tags=tags,
        actor_id=actor_id,
        source=source,
        activity_summary=activity_summary,
        with_contact_ids=True,
        within=within,
    )
