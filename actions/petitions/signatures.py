"""Signatures after they are received: merged into contacts in batches, set-based, like an
import (the merge task's work), and confirmed by the emailed link (double opt-in); each
with its consents, its funnel stage and its webhooks."""

from collections import Counter, defaultdict
from functools import partial

import pandas as pd
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.locks import transaction_lock
from campaign.webhooks.models import Event
from campaign.webhooks.services import person_brief, webhooks_emit
from contacts import services as contact_services
from contacts.funnel.services import stages_record_query
from contacts.funnel.stages import Stage
from contacts.imports.people import PersonRow, people_merge
from contacts.models import Contact, ContactEmail, ContactPhone, Source
from contacts.normalize import phone_read_many

from .emails import CONFIRM_SALT, petition_send_confirmation, petition_send_consent_confirmation
from .models import PendingSignature, Petition, Signature
from .plugin import engaging_signatures

MERGE_BATCH = 500


@transaction.atomic
def pending_signatures_merge(*, limit: int = MERGE_BATCH) -> int:
    """Merge up to `limit` received signatures into contacts, set-based, like an import:
    match by email then phone, create or complete the contact, add the petition's tags,
    record one signature per (petition, contact) and the ticked consents with their wording.

    One merge runs at a time (two could create the same new person twice). The rows are
    deleted in the same transaction: a crash merges them again later, never twice.
    Returns how many rows were merged.
    """
    transaction_lock("petitions.pending_signatures_merge")
    # Only the waiting rows are locked (of=self): locking their petition too would hold
    # every signer's foreign-key check on it until this merge commits.
    pending = list(
        PendingSignature.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("petition")
        .order_by("id")[:limit]
    )
    by_petition: dict[int, list[PendingSignature]] = defaultdict(list)
    for row in pending:
        by_petition[row.petition_id].append(row)
    for rows in by_petition.values():
        _merge_rows(rows[0].petition, rows)
    PendingSignature.objects.filter(pk__in=[row.pk for row in pending]).delete()
    return len(pending)


def _merge_rows(petition: Petition, rows: list[PendingSignature]) -> None:
    counts = people_merge(
        people=_people(rows),
        source=Source.PETITION,
        source_detail=petition.title,
        tags=[tag.name for tag in petition.tags.all()],
        actor_id=None,
        activity_summary=_("Petition: %(title)s") % {"title": petition.title},
    )
    contact_ids = counts.contact_ids or []
    signed = set(
        Signature.objects.filter(petition=petition, contact_id__in=contact_ids).values_list(
            "contact_id", flat=True
        )
    )
    signatures, grants = [], []
    offered = petition.consent_wordings()
    for row, contact_id in zip(rows, contact_ids, strict=True):
        if contact_id in signed:  # known by phone, and already signed: nothing more
            continue
        signed.add(contact_id)
        ticked = [channel for channel in row.consents if channel in offered]
        signatures.append(
            Signature(
                petition=petition,
                contact_id=contact_id,
                signed_at=row.received_at,
                utm_source=row.utm_source,
                utm_medium=row.utm_medium,
                utm_campaign=row.utm_campaign,
                referrer=row.referrer,
                embedded=row.embedded,
                answers=row.answers,
                first_name=row.first_name,
                last_name=row.last_name,
                phone=row.phone,
                postal_code=row.postal_code,
                confirmed_at=None if petition.double_opt_in else row.received_at,
                pending_consents=ticked if petition.double_opt_in else [],
            )
        )
        if not petition.double_opt_in:
            grants += _consent_grants(petition, contact_id, ticked, row.received_at)
    Signature.objects.bulk_create(signatures)
    _record_consents(
        petition, grants, {cid: row.email for row, cid in zip(rows, contact_ids, strict=True)}
    )
    if not petition.double_opt_in:
        _record_engaged(petition, [s.contact_id for s in signatures])
        _announce(petition, signatures)
    Contact.objects.filter(pk__in=[s.contact_id for s in signatures]).update(
        last_activity_at=timezone.now()
    )
    if petition.double_opt_in:
        for signature in signatures:
            transaction.on_commit(partial(_send_confirmation, signature.pk))


def _people(rows: list[PendingSignature]) -> list[PersonRow]:
    """The signers as the merge takes them. A public form proves nothing, so it adds to no
    one's record: a signer whose email is known is matched by it and brings nothing else
    (what they typed stays on their Signature); one whose email is new becomes a contact of
    their own, without a phone that a contact already has (or that another signer of the
    batch typed), which would otherwise match, and hand this email, to that phone's owner.
    Two queries for the whole batch."""
    emails = {row.email for row in rows}
    known_emails = set(
        ContactEmail.objects.filter(address__in=emails).values_list("address", flat=True)
    )
    readings = phone_read_many(pd.Series([row.phone for row in rows], dtype=object))
    e164 = dict(zip([row.pk for row in rows], readings["e164"].tolist(), strict=True))
    typed = Counter(number for number in e164.values() if number)
    known_phones = set(
        ContactPhone.objects.filter(e164__in=list(typed)).values_list("e164", flat=True)
    )
    people = []
    for row in rows:
        if row.email in known_emails:
            people.append(PersonRow(email=row.email))
            continue
        number = e164[row.pk]
        shared = number in known_phones or typed[number] > 1
        people.append(
            PersonRow(
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                phone="" if shared else row.phone,
                postal_code=row.postal_code,
            )
        )
    return people


def _consent_grants(
    petition: Petition, contact_id: int, channels: list[str], when
) -> list[contact_services.ConsentGrant]:
    """Each ticked box, with the exact wording the person saw."""
    wordings = petition.consent_wordings()
    return [
        contact_services.ConsentGrant(contact_id, channel, wordings[channel], when)
        for channel in channels
        if channel in wordings
    ]


def _record_consents(
    petition: Petition,
    grants: list[contact_services.ConsentGrant],
    emails: dict[int, str] | None = None,
) -> None:
    """Record the ticked boxes. A box ticked on a channel the person had withdrawn is not
    recorded: they are emailed a link to confirm it (contacts.confirm), at the address they
    signed with (`emails`: contact id → address, one on file) or else their first one."""
    held = contact_services.consents_grant_unverified(
        grants=grants, source=Source.PETITION, source_detail=petition.title[:255]
    )
    by_contact: dict[int, dict[str, str]] = defaultdict(dict)
    for grant in held:
        by_contact[grant.contact_id][grant.channel] = grant.wording
    for contact_id, wordings in by_contact.items():
        address = (emails or {}).get(contact_id, "")
        transaction.on_commit(
            partial(_ask_consent_confirmation, contact_id, address, wordings, petition.title)
        )


def _ask_consent_confirmation(
    contact_id: int, address: str, wordings: dict[str, str], title: str
) -> None:
    petition_send_consent_confirmation.delay(contact_id, address, wordings, title[:200])


def _record_engaged(petition: Petition, contact_ids: list[int]) -> None:
    """Funnel: of these signers, those known before they signed are engaged."""
    if contact_ids:
        stages_record_query(
            stage=Stage.ENGAGED,
            query=engaging_signatures(contact_ids),
            why=_("Signed the petition “%(title)s”") % {"title": petition.title},
        )


def _announce(petition: Petition, signatures: list[Signature]) -> None:
    """Webhooks: each new signature, with its signer."""
    if not signatures:
        return

    def payloads() -> list[dict]:
        people = Contact.objects.in_bulk([s.contact_id for s in signatures])
        brief = {"identifiers": [f"terrain:{petition.pk}"], "title": petition.title}
        return [
            {
                "petition": brief,
                "person": person_brief(people[s.contact_id]),
                "signed_at": s.signed_at.isoformat(),
                "source": s.utm_source,
            }
            for s in signatures
        ]

    webhooks_emit(event=Event.SIGNATURE_CREATED, payloads=payloads)


def _send_confirmation(signature_id: int) -> None:
    petition_send_confirmation.delay(signature_id)


@transaction.atomic
def petition_confirm(*, token: str, max_age_days: int = 14) -> Signature:
    """Double opt-in: the link from the email confirms the signature and records its consents."""
    try:
        signature_id = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=max_age_days * 86400
        )
    except signing.BadSignature:
        raise ApplicationError(_("This confirmation link is not valid or has expired.")) from None
    signature = (
        Signature.objects.select_for_update()
        .select_related("petition", "contact")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None:
        raise ApplicationError(_("This confirmation link is not valid or has expired."))
    if signature.confirmed_at is None:
        signature.confirmed_at = timezone.now()
        _record_consents(
            signature.petition,
            _consent_grants(
                signature.petition,
                signature.contact_id,
                signature.pending_consents,
                signature.confirmed_at,
            ),
        )
        signature.pending_consents = []
        signature.save(update_fields=["confirmed_at", "pending_consents"])
        _record_engaged(signature.petition, [signature.contact_id])
        _announce(signature.petition, [signature])
    return signature
