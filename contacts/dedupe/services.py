"""Writes for duplicates: find candidates, dismiss a pair, merge two contacts into one."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.bulk import db_datetime
from campaign.exceptions import ApplicationError
from campaign.models import User
from contacts.funnel.services import stages_merge
from contacts.models import (
    Consent,
    Contact,
    ContactActivity,
    ContactEmail,
    ContactMerge,
    ContactPhone,
    DuplicateCandidate,
    Tag,
)
from contacts.plugins import contact_rows
from contacts.scope import contacts_visible_to
from contacts.services import CONTACT_FIELDS, contact_keys_fill

_PAIRS = {
    DuplicateCandidate.Reason.EMAIL: (
        "SELECT DISTINCT a.contact_id AS a, b.contact_id AS b FROM contacts_contactemail a "
        "JOIN contacts_contactemail b ON a.address = b.address AND a.contact_id < b.contact_id"
    ),
    DuplicateCandidate.Reason.PHONE: (
        "SELECT DISTINCT a.contact_id AS a, b.contact_id AS b FROM contacts_contactphone a "
        "JOIN contacts_contactphone b ON a.e164 = b.e164 AND a.contact_id < b.contact_id "
        "WHERE a.e164 <> ''"
    ),
    DuplicateCandidate.Reason.IDENTITY: (
        "SELECT a.id AS a, b.id AS b FROM contacts_contact a "
        "JOIN contacts_contact b ON a.identity_key = b.identity_key AND a.id < b.id "
        "WHERE a.identity_key <> ''"
    ),
}


@transaction.atomic
def duplicates_refresh() -> int:
    """Record every pair of contacts sharing an email, a phone or a name and address that is
    not recorded yet (a dismissed pair stays dismissed). Set-based; returns how many are new."""
    now = db_datetime(timezone.now())
    added = 0
    with connection.cursor() as cursor:
        for reason, pairs in _PAIRS.items():
            cursor.execute(
                "INSERT INTO contacts_duplicatecandidate "
                "(contact_a_id, contact_b_id, reason, status, found_at) "
                f"SELECT p.a, p.b, %s, %s, %s FROM ({pairs}) p "  # noqa: S608 - fixed SQL
                "WHERE NOT EXISTS (SELECT 1 FROM contacts_duplicatecandidate d "
                " WHERE d.contact_a_id = p.a AND d.contact_b_id = p.b)",
                [reason, DuplicateCandidate.Status.OPEN, now],
            )
            added += cursor.rowcount
    return added


@transaction.atomic
def duplicate_dismiss(*, candidate: DuplicateCandidate, actor: User) -> DuplicateCandidate:
    """Not the same person: the pair is never proposed again."""
    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.reviewed_by = actor
    candidate.save(update_fields=["status", "reviewed_by"])
    return candidate


def _summary(contact: Contact) -> dict:
    return {
        "name": contact.full_name,
        "uuid": str(contact.uuid),
        "emails": list(contact.emails.values_list("address", flat=True)),
        "phones": [p.e164 or p.raw for p in contact.phones.all()],
        "postal_code": contact.postal_code,
        "commune": contact.commune,
        "source": contact.source,
        "source_detail": contact.source_detail,
        "source_at": contact.source_at.isoformat(),
    }


@transaction.atomic
def contact_merge(*, keep: Contact, drop: Contact, actor: User) -> Contact:
    """Merge `drop` into `keep`: every email, phone, tag, consent event, note and action moves
    over, empty fields are completed, and the merge is recorded for the timeline."""
    if keep.pk == drop.pk:
        raise ApplicationError(_("A contact cannot be merged with itself."))
    visible = contacts_visible_to(actor).filter(pk__in=[keep.pk, drop.pk], erased_at__isnull=True)
    # Lock both rows, in id order so that two merges cannot deadlock.
    locked = {c.pk: c for c in visible.select_for_update().order_by("pk")}
    if len(locked) != 2:
        raise ApplicationError(_("Both contacts must exist and be yours to merge."))
    keep, drop = locked[keep.pk], locked[drop.pk]
    summary = _summary(drop)

    for name in CONTACT_FIELDS:
        if getattr(keep, name) in ("", None, {}) and getattr(drop, name) not in ("", None, {}):
            setattr(keep, name, getattr(drop, name))
    keep.objected_at = keep.objected_at or drop.objected_at  # the stricter choice wins
    if drop.source_at < keep.source_at:  # the origin is the first time we heard of the person
        keep.source, keep.source_detail, keep.source_at = (
            drop.source,
            drop.source_detail,
            drop.source_at,
        )
    contact_keys_fill(keep)
    keep.save()

    # Every installed plugin's rows (emails, consents, stages, signatures, texts, gifts…)
    # move over as it declares, once the kept contact holds its final fields.
    for rows in contact_rows():
        rows.merged(keep.pk, drop.pk)

    ContactMerge.objects.create(
        kept=keep, dropped_uuid=drop.uuid, dropped_id=drop.pk, dropped_summary=summary, actor=actor
    )
    ContactActivity.objects.create(
        contact=keep,
        kind=ContactActivity.Kind.MERGED,
        summary=_("%(name)s (#%(id)s, %(emails)s) merged into this contact")
        % {
            "name": summary["name"] or "—",
            "id": drop.pk,
            "emails": ", ".join(summary["emails"]) or "—",
        },
        actor=actor,
        occurred_at=timezone.now(),
    )
    drop.delete()
    return keep


# What a merge does to the contacts app's own rows (contacts.plugin declares them) ---------


def emails_merge(kept_id: int, dropped_id: int) -> None:
    """The dropped contact's addresses the kept one lacks join it, none as the primary one."""
    known = ContactEmail.objects.filter(contact_id=kept_id).values_list("address", flat=True)
    ContactEmail.objects.filter(contact_id=dropped_id).exclude(address__in=list(known)).update(
        contact_id=kept_id, is_primary=False
    )
    ContactEmail.objects.filter(contact_id=dropped_id).delete()


def phones_merge(kept_id: int, dropped_id: int) -> None:
    """The dropped contact's numbers the kept one lacks join it, none as the primary one."""
    known_phones = {p.e164 or p.raw for p in ContactPhone.objects.filter(contact_id=kept_id)}
    for phone in ContactPhone.objects.filter(contact_id=dropped_id):
        if (phone.e164 or phone.raw) not in known_phones:
            known_phones.add(phone.e164 or phone.raw)
            ContactPhone.objects.filter(pk=phone.pk).update(contact_id=kept_id, is_primary=False)
    ContactPhone.objects.filter(contact_id=dropped_id).delete()


def tags_merge(kept_id: int, dropped_id: int) -> None:
    """The kept contact has both contacts' tags."""
    Contact.objects.get(pk=kept_id).tags.add(*Tag.objects.filter(contacts__pk=dropped_id))


def consents_merge(kept_id: int, dropped_id: int) -> None:
    """Per channel, the latest decision of either contact is the person's."""
    current = {c.channel: c for c in Consent.objects.filter(contact_id=kept_id)}
    for consent in Consent.objects.filter(contact_id=dropped_id):
        mine = current.get(consent.channel)
        if mine is None:
            Consent.objects.filter(pk=consent.pk).update(contact_id=kept_id)
        elif consent.changed_at > mine.changed_at:  # the latest decision is the person's
            mine.status, mine.source = consent.status, consent.source
            mine.wording, mine.changed_at = consent.wording, consent.changed_at
            mine.save()
    Consent.objects.filter(contact_id=dropped_id).delete()


def accounts_merge(kept_id: int, dropped_id: int) -> None:
    """A volunteer's account follows them, unless the kept contact has one already."""
    if not User.objects.filter(contact_id=kept_id).exists():
        User.objects.filter(contact_id=dropped_id).update(contact_id=kept_id)


def stages_follow(kept_id: int, dropped_id: int) -> None:
    """The kept person has reached every stage either had, at the earlier time."""
    stages_merge(kept_id=kept_id, dropped_id=dropped_id)
