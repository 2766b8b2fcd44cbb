"""Writes for petitions: sign (the public act), and the organizers' changes."""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaign.counters import flag_raise
from campaign.exceptions import ApplicationError
from campaign.locks import transaction_lock
from campaign.models import User
from campaign.ownership import may_change
from campaign.webhooks.models import Event
from campaign.webhooks.services import person_brief, webhooks_emit
from contacts import services as contact_services
from contacts.funnel.services import stages_record_query
from contacts.funnel.stages import Stage
from contacts.imports.people import PersonRow, people_merge
from contacts.models import Contact, ContactEmail, ContactPhone, Source
from contacts.normalize import phone_read_many

from .images import cover_prepared
from .models import PendingSignature, Petition, Signature
from .plugin import engaging_signatures


@dataclass
class SignatureInput:
    first_name: str
    last_name: str
    email: str
    postal_code: str
    phone: str = ""
    consents: dict[str, bool] = field(default_factory=dict)  # channel → ticked
    answers: dict[str, str] = field(default_factory=dict)
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer: str = ""
    embedded: bool = False


def petition_sign(*, petition: Petition, data: SignatureInput) -> bool:
    """Receive a signature: one row, merged into contacts right after by
    pending_signatures_merge (in a worker, or at once when tasks run in-process).

    Returns True for a new signature, False when this email has already signed this
    petition or is waiting to be merged: signing twice changes nothing.

    A viral petition's hot path: one statement, no transaction around it. It inserts unless
    a contact with this email has signed (an index read), and the unique constraint on
    (petition, email) settles a race with the same email waiting.
    """
    if not petition.is_open:
        raise ApplicationError(_("This petition is closed."))
    row = PendingSignature(
        petition=petition,
        email=data.email.strip().lower(),
        first_name=data.first_name.strip()[:150],
        last_name=data.last_name.strip()[:150],
        phone=data.phone.strip()[:30],
        postal_code=data.postal_code.strip()[:10],
        consents=[channel for channel, on in data.consents.items() if on],
        answers={k: v[:2000] for k, v in data.answers.items() if v},
        utm_source=data.utm_source[:100],
        utm_medium=data.utm_medium[:100],
        utm_campaign=data.utm_campaign[:100],
        referrer=data.referrer[:500],
        embedded=data.embedded,
    )
    if not _insert_unless_signed_or_waiting(row):
        return False
    _merge_soon()
    return True


PENDING_FIELDS = [f for f in PendingSignature._meta.concrete_fields if not f.primary_key]


def _insert_unless_signed_or_waiting(row: PendingSignature) -> bool:
    """INSERT … SELECT … WHERE NOT EXISTS (a signature by this email) ON CONFLICT DO
    NOTHING: False when this email has signed this petition or already waits for it."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in PENDING_FIELDS)
    placeholders = ", ".join(["%s"] * len(PENDING_FIELDS))
    values = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in PENDING_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PendingSignature._meta.db_table} ({columns}) "  # noqa: S608 - names from the model
            # From the email's index first (most signers are new: nothing more to read),
            # whatever the planner believes of the tables' sizes.
            f"SELECT {placeholders} WHERE NOT EXISTS ("
            f"SELECT 1 FROM {ContactEmail._meta.db_table} e WHERE e.address = %s AND ("
            f"SELECT 1 FROM {Signature._meta.db_table} s "
            "WHERE s.petition_id = %s AND s.contact_id = e.contact_id LIMIT 1) IS NOT NULL) "
            "ON CONFLICT (petition_id, email) DO NOTHING",
            [*values, row.email, row.petition_id],
        )
        return cursor.rowcount == 1


MERGE_QUEUED = "petitions:merge-queued"
MERGE_DELAY_SECONDS = 1  # signatures gathered into one merge


def _merge_soon() -> None:
    """Have this signature merged: in-process at once, or by a worker a moment later."""
    from .tasks import petition_signatures_merge

    if petition_signatures_merge.app.conf.task_always_eager:
        pending_signatures_merge()  # in-process: now, before the page answers
    else:
        transaction.on_commit(merge_later)


# When this process last found a merge queued (or queued one): for MERGE_SEEN_SECONDS after,
# its signers ask Redis nothing. Safe, as a merge that lowers the flag looks for waiting
# rows again MERGE_SEEN_SECONDS later (petition_signatures_merge), and one this process
# queued starts after MERGE_DELAY_SECONDS, which is longer.
MERGE_SEEN_SECONDS = 0.5
_merge_seen_at = -MERGE_SEEN_SECONDS


def merge_later(*, fresh: bool = False) -> None:
    """Queue one merge task, unless one is queued already: however many signers, one task.
    `fresh`: ask Redis, whatever this process saw lately."""
    global _merge_seen_at
    from .tasks import petition_signatures_merge

    now = time.monotonic()
    if not fresh and now - _merge_seen_at < MERGE_SEEN_SECONDS:
        return
    if flag_raise(MERGE_QUEUED, seconds=30):
        petition_signatures_merge.apply_async(countdown=MERGE_DELAY_SECONDS)
    _merge_seen_at = now


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
    from .tasks import petition_send_consent_confirmation

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
    from .tasks import petition_send_confirmation

    petition_send_confirmation.delay(signature_id)


CONFIRM_SALT = "petition-confirm"


def confirmation_token(signature: Signature) -> str:
    from django.core import signing

    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(signature.pk))


@transaction.atomic
def petition_confirm(*, token: str, max_age_days: int = 14) -> Signature:
    """Double opt-in: the link from the email confirms the signature and records its consents."""
    from django.core import signing

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


def _ensure_may_change(petition: Petition, actor: User) -> None:
    """The write rule, checked again where the write happens: on the petition as stored
    (an existing one) and on the territory it is given."""
    if petition.pk is not None:
        stored = Petition.objects.filter(pk=petition.pk).first()
        if stored is None or not may_change(actor, stored):
            raise ApplicationError(_("You may not change this petition."))
    if not may_change(actor, petition):
        raise ApplicationError(
            _("Choose one of your territories: this petition would not be yours."),
            field="territory",
        )


def signature_count_key(petition_id: int) -> str:
    return f"petition:{petition_id}:count"


@transaction.atomic
def petition_save(*, petition: Petition, actor: User) -> Petition:
    """Create or change a petition (from the organizers' form); a slug is made from the title.
    Only its territory's organizers and the administrators change one, and an organizer gives
    it one of their own territories (campaign.ownership)."""
    _ensure_may_change(petition, actor)
    if not petition.slug:
        base = slugify(petition.title)[:70] or "petition"
        slug, n = base, 1
        while Petition.objects.filter(slug=slug).exclude(pk=petition.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        petition.slug = slug
    if petition.pk is None:
        petition.created_by = actor
    if petition.image and not petition.image._committed:  # a new upload
        petition.image = cover_prepared(petition.image, stem=petition.slug)
    petition.save()
    return petition


@transaction.atomic
def petition_set_status(*, petition: Petition, status: str, actor: User) -> Petition:
    """Publish, close or archive."""
    _ensure_may_change(petition, actor)
    if status not in Petition.Status.values:
        raise ApplicationError(_("Unknown status."))
    petition.status = status
    if status == Petition.Status.PUBLISHED and petition.published_at is None:
        petition.published_at = timezone.now()
    petition.save(update_fields=["status", "published_at", "updated_at"])
    return petition
