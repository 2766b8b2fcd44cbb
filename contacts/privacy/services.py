"""Writes for people's rights: erase, object, record an access export, apply retention."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import User
from contacts.models import (
    Channel,
    Consent,
    ConsentStatus,
    Contact,
    ContactActivity,
    ContactEmail,
    ContactIdentifier,
    ContactMerge,
    ContactPhone,
    RetentionRule,
    Source,
    Suppression,
)
from contacts.models.privacy import suppression_digest
from contacts.plugins import contact_rows
from contacts.services import consent_set, export_log_record


def contacts_anonymize(*, ids: list[int], actor: User | None, kind: str, summary: str) -> int:
    """Strip contacts of everything that identifies them, keeping the rows so that actions
    keep their counts. Set-based, for one contact or a retention batch. Returns how many."""
    if not ids:
        return 0
    now = timezone.now()
    # Every installed plugin erases what identifies them in its rows (emails, notes,
    # signatures' details, texts' bodies…), or keeps the rows for the reason it gives.
    for rows in contact_rows():
        rows.erased(ids)
    count = Contact.objects.filter(pk__in=ids).update(
        first_name="",
        last_name="",
        first_name_key="",
        last_name_key="",
        search_words="",
        birth_date=None,
        street="",
        country="",
        latitude=None,
        longitude=None,
        custom_fields={},
        identity_key="",
        erased_at=now,
        updated_at=now,
    )
    ContactActivity.objects.bulk_create(
        ContactActivity(contact_id=i, kind=kind, summary=summary, actor=actor, occurred_at=now)
        for i in ids
    )
    return count


@transaction.atomic
# What an erasure does to the contacts app's own rows (contacts.plugin declares them) -----


def emails_erase(ids: list[int]) -> None:
    ContactEmail.objects.filter(contact_id__in=ids).delete()


def identifiers_erase(ids: list[int]) -> None:
    """Another system's identifier links the erased person to their record there: it goes."""
    ContactIdentifier.objects.filter(contact_id__in=ids).delete()


def phones_erase(ids: list[int]) -> None:
    ContactPhone.objects.filter(contact_id__in=ids).delete()


def tags_erase(ids: list[int]) -> None:
    Contact.tags.through.objects.filter(contact_id__in=ids).delete()


def notes_erase(ids: list[int]) -> None:
    """Staff notes go; the rest of the activity (created, merged, exported…) stays."""
    ContactActivity.objects.filter(contact_id__in=ids, kind=ContactActivity.Kind.NOTE).delete()


def merges_erase(ids: list[int]) -> None:
    """A merge's record keeps who merged what and when; the merged duplicate as it was (the
    same person's name, emails and phones) goes with the person."""
    ContactMerge.objects.filter(kept_id__in=ids).update(dropped_summary={})


def consents_erase(ids: list[int]) -> None:
    """The consents stay (withdrawn by the erasure); the wording the person agreed to goes."""
    Consent.objects.filter(contact_id__in=ids).update(wording="")


def contact_erase(*, contact: Contact, actor: User, reason: str = "") -> Contact:
    """Art. 17: anonymize the person everywhere, and keep hashes of their email, phone and
    identity so that no later import brings them back."""
    if contact.erased_at:
        return contact
    digests = [
        (Suppression.Kind.EMAIL, e) for e in contact.emails.values_list("address", flat=True)
    ]
    digests += [
        (Suppression.Kind.PHONE, p)
        for p in contact.phones.exclude(e164="").values_list("e164", flat=True)
    ]
    if contact.identity_key:
        digests.append((Suppression.Kind.IDENTITY, contact.identity_key))
    Suppression.objects.bulk_create(
        [
            Suppression(digest=suppression_digest(k, v), kind=k, reason=reason[:200])
            for k, v in digests
        ],
        ignore_conflicts=True,
    )
    _withdraw_everything(contact, actor, _("Erasure at the person's request (GDPR art. 17)"))
    contacts_anonymize(
        ids=[contact.pk],
        actor=actor,
        kind=ContactActivity.Kind.ERASED,
        summary=_("At the person's request (GDPR art. 17)") + (f" — {reason}" if reason else ""),
    )
    contact.refresh_from_db()
    return contact


def _withdraw_everything(contact: Contact, actor: User | None, wording: str) -> None:
    for channel in Channel.values:
        consent_set(
            contact=contact,
            channel=channel,
            status=ConsentStatus.WITHDRAWN,
            source=Source.MANUAL,
            actor=actor,
            wording=wording,
        )


@transaction.atomic
def contact_object(*, contact: Contact, actor: User) -> Contact:
    """Art. 21: no more contact on any channel, recorded as consent withdrawals."""
    if contact.objected_at:
        return contact
    _withdraw_everything(contact, actor, _("Objection to any contact (GDPR art. 21)"))
    contact.objected_at = timezone.now()
    contact.save(update_fields=["objected_at", "updated_at"])
    ContactActivity.objects.create(
        contact=contact,
        kind=ContactActivity.Kind.OBJECTED,
        summary=_("No more contact on any channel (GDPR art. 21)"),
        actor=actor,
        occurred_at=contact.objected_at,
    )
    return contact


@transaction.atomic
def contact_access_record(*, contact: Contact, actor: User, fmt: str) -> None:
    """Art. 15: an export of everything held about a person leaves a trace on both sides."""
    export_log_record(
        actor=actor, what=f"gdpr_access.{fmt}", filters={"contact": contact.pk}, row_count=1
    )
    ContactActivity.objects.create(
        contact=contact,
        kind=ContactActivity.Kind.ACCESS,
        summary=fmt.upper(),
        actor=actor,
        occurred_at=timezone.now(),
    )


def retention_due(rule: RetentionRule, *, now=None):
    """Contacts of the rule's source, never consenting, inactive for longer than the rule."""
    now = now or timezone.now()
    limit = now - timedelta(days=30.4375 * rule.months)
    granted = Consent.objects.filter(contact_id=OuterRef("pk"), status=ConsentStatus.GRANTED)
    return (
        Contact.objects.filter(source=rule.source, erased_at__isnull=True)
        .annotate(basis=Coalesce(F("last_activity_at"), F("source_at")))
        .filter(basis__lt=limit)
        .exclude(Exists(granted))
    )


def retention_apply(*, batch: int = 2000, now=None) -> dict[str, int]:
    """Anonymize what the retention rules say is due, in batches of one transaction each."""
    done: dict[str, int] = {}
    for rule in RetentionRule.objects.filter(is_active=True):
        total = 0
        while True:
            ids = list(retention_due(rule, now=now).values_list("pk", flat=True)[:batch])
            if not ids:
                break
            with transaction.atomic():
                total += contacts_anonymize(
                    ids=ids,
                    actor=None,
                    kind=ContactActivity.Kind.ERASED,
                    summary=_("Retention period over (%(months)d months without answer)")
                    % {"months": rule.months},
                )
        done[rule.source] = total
    return done
