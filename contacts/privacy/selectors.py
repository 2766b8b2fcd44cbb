"""Reads for people's rights: everything held about a person; the suppression list."""

import numpy as np
import pandas as pd

from contacts.models import Contact, Suppression
from contacts.timeline import timeline_for

from .services import suppression_digest


def contact_personal_data(contact: Contact) -> dict:
    """Everything Terrain holds about a person, for an art. 15 access request."""
    return {
        "identity": {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "birth_date": contact.birth_date.isoformat() if contact.birth_date else None,
        },
        "address": {
            "street": contact.street,
            "postal_code": contact.postal_code,
            "commune": contact.commune,
            "insee_code": contact.insee_code,
            "polling_station": contact.bureau_code,
            "polling_station_name": contact.bureau_label,
            "latitude": str(contact.latitude) if contact.latitude is not None else None,
            "longitude": str(contact.longitude) if contact.longitude is not None else None,
        },
        "emails": [{"address": e.address, "primary": e.is_primary} for e in contact.emails.all()],
        "phones": [
            {
                "number": p.e164 or p.raw,
                "as_entered": p.raw,
                "type": p.kind,
                "primary": p.is_primary,
            }
            for p in contact.phones.all()
        ],
        "tags": [t.name for t in contact.tags.all()],
        "custom_fields": contact.custom_fields,
        "origin": {
            "source": contact.source,
            "source_label": str(contact.get_source_display()),
            "detail": contact.source_detail,
            "collected_on": contact.source_at.isoformat(),
        },
        "consents": [
            {
                "channel": c.channel,
                "status": c.status,
                "source": c.source,
                "wording": c.wording,
                "date": c.changed_at.isoformat(),
            }
            for c in contact.consents.all()
        ],
        "consent_history": [
            {
                "date": e.occurred_at.isoformat(),
                "channel": e.channel,
                "status": e.status,
                "source": e.source,
                "detail": e.source_detail,
                "wording": e.wording,
            }
            for e in contact.consent_events.all()
        ],
        "history": [
            {
                "date": entry.at.isoformat(),
                "kind": entry.kind,
                "what": entry.title,
                "detail": entry.detail,
            }
            for entry in timeline_for(contact, limit=10_000)
        ],
        "objected_on": contact.objected_at.isoformat() if contact.objected_at else None,
    }


def flatten(data, prefix: str = "") -> list[tuple[str, str]]:
    """Nested data as (path, value) rows, for the CSV version of an access export."""
    if isinstance(data, dict):
        return [row for key, value in data.items() for row in flatten(value, f"{prefix}{key}.")]
    if isinstance(data, list):
        return [row for i, value in enumerate(data) for row in flatten(value, f"{prefix}{i}.")]
    return [(prefix.rstrip("."), "" if data is None else str(data))]


def suppressed_rows(rows: pd.DataFrame) -> np.ndarray:
    """For each clean import row, whether its email, phone or identity is on the suppression list."""
    mask = np.zeros(len(rows), dtype=bool)
    digests = set(Suppression.objects.values_list("digest", flat=True))
    if not digests:
        return mask
    checks = [
        (Suppression.Kind.EMAIL, "email"),
        (Suppression.Kind.EMAIL, "email2"),
        (Suppression.Kind.PHONE, "phone_e164"),
        (Suppression.Kind.PHONE, "phone2_e164"),
        (Suppression.Kind.PHONE, "phone3_e164"),
        (Suppression.Kind.IDENTITY, "identity"),
    ]
    for kind, column in checks:
        if column not in rows:
            continue
        mask |= np.fromiter(
            (bool(v) and suppression_digest(kind, v) in digests for v in rows[column]),
            dtype=bool,
            count=len(rows),
        )
    return mask
