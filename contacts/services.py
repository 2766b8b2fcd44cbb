"""Writes to contacts. Each function is one transaction and leaves an audit trail."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User
from campaign.webhooks.models import Event
from campaign.webhooks.services import person_brief, webhooks_emit

from .funnel.services import Reach, entries_refresh, stage_reach, stages_record
from .funnel.stages import Stage
from .models import (
    Channel,
    Consent,
    ConsentEvent,
    ConsentStatus,
    Contact,
    ContactActivity,
    ContactEmail,
    ContactPhone,
    ExportLog,
    OpinionView,
    Source,
    Tag,
)
from .normalize import identity_key, phone_read, search_key, search_words
from .scope import contacts_visible_to

# The fields of Contact that staff edit directly.
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "street",
    "postal_code",
    "commune",
    "insee_code",
    "bureau_code",
    "bureau_label",
    "latitude",
    "longitude",
    "custom_fields",
)


@dataclass(frozen=True)
class PhoneInput:
    number: str
    is_primary: bool = False


@dataclass(frozen=True)
class EmailInput:
    address: str
    is_primary: bool = False


def contact_keys_fill(contact: Contact) -> None:
    """Set the keys a contact is searched and matched by (names without accents or case, its
    identity) from its fields; the caller saves it. An import computes the same in bulk."""
    contact.first_name_key = search_key(contact.first_name)
    contact.last_name_key = search_key(contact.last_name)
    contact.commune_key = search_key(contact.commune)
    contact.search_words = search_words(
        first_key=contact.first_name_key,
        last_key=contact.last_name_key,
        commune_key=contact.commune_key,
    )
    birth = contact.birth_date.isoformat() if contact.birth_date else ""
    contact.identity_key = identity_key(
        last_key=contact.last_name_key,
        first_key=contact.first_name_key,
        birth=birth or str((contact.custom_fields or {}).get("annee_naissance", "")),
        postal_code=contact.postal_code,
        street_key=search_key(contact.street),
    )


def _replace_emails(contact: Contact, emails: Iterable[EmailInput]) -> None:
    wanted: dict[str, bool] = {}
    for item in emails:
        address = item.address.strip().lower()
        if address:
            wanted[address] = wanted.get(address, False) or item.is_primary
    if wanted and not any(wanted.values()):
        wanted[next(iter(wanted))] = True
    contact.emails.exclude(address__in=wanted).delete()
    existing = {e.address: e for e in contact.emails.all()}
    for address, is_primary in wanted.items():
        row = existing.get(address)
        if row is None:
            ContactEmail.objects.create(contact=contact, address=address, is_primary=is_primary)
        elif row.is_primary != is_primary:
            row.is_primary = is_primary
            row.save(update_fields=["is_primary"])


def _phone_key(e164: str, raw: str) -> str:
    return e164 or raw


def _replace_phones(contact: Contact, phones: Iterable[PhoneInput]) -> None:
    """Make the contact's phones these numbers. A number already there keeps its row and
    the text it was first typed as, however it is written this time."""
    wanted = {}
    for item in phones:
        reading = phone_read(item.number)
        key = _phone_key(reading.e164, reading.raw)
        if reading.raw and key not in wanted:
            wanted[key] = (reading, item.is_primary)
    if wanted and not any(primary for _reading, primary in wanted.values()):
        first = next(iter(wanted))
        wanted[first] = (wanted[first][0], True)
    existing = {_phone_key(p.e164, p.raw): p for p in contact.phones.all()}
    contact.phones.filter(pk__in=[p.pk for k, p in existing.items() if k not in wanted]).delete()
    for key, (reading, is_primary) in wanted.items():
        row = existing.get(key)
        if row is None:
            ContactPhone.objects.create(
                contact=contact,
                raw=reading.raw,
                e164=reading.e164,
                kind=reading.kind,
                is_primary=is_primary,
            )
        elif row.is_primary != is_primary:
            row.is_primary = is_primary
            row.save(update_fields=["is_primary"])


def _tags_named(names: Iterable[str]) -> list[Tag]:
    clean = sorted({" ".join(n.split()) for n in names if n and n.strip()})
    existing = {t.name: t for t in Tag.objects.filter(name__in=clean)}
    missing = [Tag(name=n) for n in clean if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=clean)}
    return [existing[n] for n in clean]


def _ensure_in_scope(contact: Contact, actor: User | None) -> None:
    """An organizer cannot create or move a contact outside their own territories."""
    if actor is None or actor.is_admin:
        return
    if not contacts_visible_to(actor).filter(pk=contact.pk).exists():
        raise ApplicationError(
            _("This address is outside your territories: you could not see this contact."),
            field="postal_code",
        )


@transaction.atomic
def contact_create(
    *,
    actor: User | None,
    source: str,
    source_detail: str = "",
    source_at: datetime | None = None,
    emails: Iterable[EmailInput] = (),
    phones: Iterable[PhoneInput] = (),
    tags: Iterable[str] = (),
    **fields,
) -> Contact:
    """Create a contact with its channels and tags, and record who created it and from where."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    if source not in Source.values:
        raise ApplicationError(_("Unknown source: %(source)s") % {"source": source})
    contact = Contact(
        source=source,
        source_detail=source_detail,
        source_at=source_at or timezone.now(),
        created_by=actor,
        **fields,
    )
    contact_keys_fill(contact)
    contact.save()
    _replace_emails(contact, emails)
    _replace_phones(contact, phones)
    contact.tags.set(_tags_named(tags))
    ContactActivity.objects.create(
        contact=contact,
        kind=ContactActivity.Kind.CREATED,
        summary=contact.get_source_display(),
        actor=actor,
        occurred_at=timezone.now(),
    )
    _ensure_in_scope(contact, actor)
    stage_reach(
        contact_id=contact.pk,
        stage=Stage.ACQUIRED,
        at=contact.source_at,
        why=" · ".join(filter(None, [contact.get_source_display(), source_detail])),
    )
    webhooks_emit(
        event=Event.CONTACT_CREATED,
        payloads=[{"person": person_brief(contact), "source": source, "detail": source_detail}],
    )
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    actor: User,
    emails: Iterable[EmailInput] | None = None,
    phones: Iterable[PhoneInput] | None = None,
    tags: Iterable[str] | None = None,
    **fields,
) -> Contact:
    """Change a contact's fields, channels or tags; the timeline records which ones changed."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    if contact.erased_at:
        raise ApplicationError(_("This person was erased: nothing about them can be recorded."))
    changed = [name for name, value in fields.items() if getattr(contact, name) != value]
    for name in changed:
        setattr(contact, name, fields[name])
    if changed:
        contact_keys_fill(contact)
        contact.save()
        if {"insee_code", "postal_code", "bureau_code"} & set(changed):
            entries_refresh(contact_ids=[contact.pk])  # the funnel counts them where they live
    if emails is not None:
        before = sorted(contact.emails.values_list("address", "is_primary"))
        _replace_emails(contact, emails)
        if sorted(contact.emails.values_list("address", "is_primary")) != before:
            changed.append("emails")
    if phones is not None:
        phones_before = sorted(contact.phones.values_list("e164", "raw", "is_primary"))
        _replace_phones(contact, phones)
        if sorted(contact.phones.values_list("e164", "raw", "is_primary")) != phones_before:
            changed.append("phones")
    if tags is not None:
        _set_tags(contact=contact, actor=actor, tags=_tags_named(tags))
    if changed:
        Contact.objects.filter(pk=contact.pk).update(updated_at=timezone.now())
        # The contact's own fields (CONTACT_FIELDS) by their label, and its channels.
        label_of = {f.name: f.verbose_name for f in Contact._meta.fields}
        label_of |= {"emails": _("emails"), "phones": _("phones")}
        labels = [str(label_of[name]) for name in changed]
        ContactActivity.objects.create(
            contact=contact,
            kind=ContactActivity.Kind.UPDATED,
            summary=", ".join(labels),
            actor=actor,
            occurred_at=timezone.now(),
        )
        _ensure_in_scope(contact, actor)
    return contact


def _set_tags(*, contact: Contact, actor: User | None, tags: list[Tag]) -> None:
    before = set(contact.tags.values_list("name", flat=True))
    after = {t.name for t in tags}
    if before == after:
        return
    contact.tags.set(tags)
    parts = [f"+{n}" for n in sorted(after - before)] + [f"−{n}" for n in sorted(before - after)]
    ContactActivity.objects.create(
        contact=contact,
        kind=ContactActivity.Kind.TAGGED,
        summary=" ".join(parts),
        actor=actor,
        occurred_at=timezone.now(),
    )


@transaction.atomic
def contact_tag(
    *, contact: Contact, actor: User | None, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> Contact:
    """Add and remove tags by name, creating tags that do not exist yet."""
    names = set(contact.tags.values_list("name", flat=True))
    names |= {n for n in add if n.strip()}
    names -= set(remove)
    _set_tags(contact=contact, actor=actor, tags=_tags_named(names))
    return contact


@transaction.atomic
def consent_set(
    *,
    contact: Contact,
    channel: str,
    status: str,
    source: str,
    actor: User | None,
    wording: str = "",
    source_detail: str = "",
    occurred_at: datetime | None = None,
) -> ConsentEvent:
    """Record a consent change on one channel: the current state and an append-only event."""
    if channel not in Channel.values:
        raise ApplicationError(_("Unknown channel: %(channel)s") % {"channel": channel})
    if status not in ConsentStatus.values:
        raise ApplicationError(_("Unknown consent status: %(status)s") % {"status": status})
    if source not in Source.values:
        raise ApplicationError(_("Unknown source: %(source)s") % {"source": source})
    occurred_at = occurred_at or timezone.now()
    event = ConsentEvent.objects.create(
        contact=contact,
        channel=channel,
        status=status,
        source=source,
        source_detail=source_detail,
        wording=wording,
        actor=actor,
        occurred_at=occurred_at,
    )
    # A late-recorded older event (a paper form typed in later) joins the history
    # but does not override a newer decision.
    current = Consent.objects.select_for_update().filter(contact=contact, channel=channel).first()
    if current is None:
        Consent.objects.create(
            contact=contact,
            channel=channel,
            status=status,
            source=source,
            wording=wording,
            changed_at=occurred_at,
        )
    elif occurred_at >= current.changed_at:
        current.status, current.source = status, source
        current.wording, current.changed_at = wording, occurred_at
        current.save()
    Contact.objects.filter(pk=contact.pk).update(updated_at=timezone.now())  # API: modified
    if status == ConsentStatus.WITHDRAWN:
        webhooks_emit(
            event=Event.OPT_OUT,
            payloads=[
                {
                    "person": person_brief(contact),
                    "channel": channel,
                    "source": source,
                    "at": occurred_at.isoformat(),
                }
            ],
        )
    if status == ConsentStatus.GRANTED:
        stage_reach(
            contact_id=contact.pk,
            stage=Stage.REACHABLE,
            at=occurred_at,
            why=consent_why(channel, source, source_detail),
        )
    return event


def consent_why(channel: str, source: str, source_detail: str) -> str:
    return " · ".join(
        filter(None, [str(Channel(channel).label), str(Source(source).label), source_detail])
    )


@dataclass(frozen=True)
class ConsentGrant:
    contact_id: int
    channel: str
    wording: str
    occurred_at: datetime


@transaction.atomic
def consents_grant_many(*, grants: list[ConsentGrant], source: str, source_detail: str) -> int:
    """consent_set(status="granted") for many contacts at once (a batch of signatures):
    one event each, and the current state where the grant is not older than it."""
    if not grants:
        return 0
    ConsentEvent.objects.bulk_create(
        ConsentEvent(
            contact_id=g.contact_id,
            channel=g.channel,
            status=ConsentStatus.GRANTED,
            source=source,
            source_detail=source_detail,
            wording=g.wording,
            occurred_at=g.occurred_at,
        )
        for g in grants
    )
    current = {
        (c.contact_id, c.channel): c
        for c in Consent.objects.select_for_update().filter(
            contact_id__in={g.contact_id for g in grants}
        )
    }
    created: dict[tuple[int, str], Consent] = {}
    changed: dict[tuple[int, str], Consent] = {}
    for g in sorted(grants, key=lambda g: g.occurred_at):
        key = (g.contact_id, g.channel)
        consent = current.get(key) or created.get(key)
        if consent is None:
            created[key] = Consent(
                contact_id=g.contact_id,
                channel=g.channel,
                status=ConsentStatus.GRANTED,
                source=source,
                wording=g.wording,
                changed_at=g.occurred_at,
            )
        elif g.occurred_at >= consent.changed_at:
            consent.status, consent.source = ConsentStatus.GRANTED, source
            consent.wording, consent.changed_at = g.wording, g.occurred_at
            if consent.pk:
                changed[key] = consent
    Consent.objects.bulk_create(created.values())
    Consent.objects.bulk_update(changed.values(), ["status", "source", "wording", "changed_at"])
    Contact.objects.filter(pk__in={g.contact_id for g in grants}).update(updated_at=timezone.now())
    stages_record(
        stage=Stage.REACHABLE,
        reached=[
            Reach(g.contact_id, g.occurred_at, consent_why(g.channel, source, source_detail))
            for g in grants
        ],
    )
    return len(grants)


@transaction.atomic
def consents_grant_unverified(
    *, grants: list[ConsentGrant], source: str, source_detail: str
) -> list[ConsentGrant]:
    """consents_grant_many for a public form, whose visitor proved nothing: a consent is
    added where the person had none, but a withdrawal (a STOP, an unsubscribe, an
    objection) is never undone. Returns the grants held back on a withdrawn channel, for
    the person to confirm by the emailed link (contacts.confirm). Set-based: one query."""
    if not grants:
        return []
    withdrawn = set(
        Consent.objects.select_for_update()
        .filter(
            contact_id__in={g.contact_id for g in grants},
            status=ConsentStatus.WITHDRAWN,
        )
        .values_list("contact_id", "channel")
    )
    held = [g for g in grants if (g.contact_id, g.channel) in withdrawn]
    consents_grant_many(
        grants=[g for g in grants if (g.contact_id, g.channel) not in withdrawn],
        source=source,
        source_detail=source_detail,
    )
    return held


@transaction.atomic
def contact_note_add(*, contact: Contact, actor: User, text: str) -> ContactActivity:
    """A free-text note on the timeline (a call, a meeting, something to remember)."""
    text = text.strip()
    if not text:
        raise ApplicationError(_("A note cannot be empty."), field="text")
    return ContactActivity.objects.create(
        contact=contact,
        kind=ContactActivity.Kind.NOTE,
        summary=text,
        actor=actor,
        occurred_at=timezone.now(),
    )


def opinion_view_record(
    *, actor: User, what: str, contact_id: int | None = None, rows: int = 1
) -> None:
    """Audit: `actor` was shown political opinions (of `contact_id`, or of `rows` people)."""
    OpinionView.objects.create(actor=actor, what=what[:100], contact_id_seen=contact_id, rows=rows)


def export_log_record(*, actor: User, what: str, filters: dict, row_count: int) -> ExportLog:
    """Record an export before it is sent: who, what, with which filters, how many rows."""
    return ExportLog.objects.create(actor=actor, what=what, filters=filters, row_count=row_count)


@transaction.atomic
def contact_admin_save(*, contact: Contact, actor: User, created: bool) -> Contact:
    """Save a contact edited in the Django admin, keeping search keys and the timeline right."""
    if created:
        contact.created_by = actor
        if not contact.source:
            contact.source = Source.MANUAL
        if not contact.source_at:
            contact.source_at = timezone.now()
    contact_keys_fill(contact)
    contact.save()
    ContactActivity.objects.create(
        contact=contact,
        kind=ContactActivity.Kind.CREATED if created else ContactActivity.Kind.UPDATED,
        summary=_("In the administration"),
        actor=actor,
        occurred_at=timezone.now(),
    )
    return contact


@transaction.atomic
def contact_phones_renormalize(*, contact: Contact) -> None:
    """Re-read each phone's raw text into E.164 (after an edit that bypassed the forms)."""
    for phone in contact.phones.all():
        reading = phone_read(phone.raw)
        if (phone.e164, phone.kind) != (reading.e164, reading.kind):
            phone.e164, phone.kind = reading.e164, reading.kind
            phone.save(update_fields=["e164", "kind"])


@transaction.atomic
def volunteer_account_linked(*, user: User) -> None:
    """A user's account now names their own contact: that person is a volunteer, since the
    account was opened."""
    if user.contact_id:
        stage_reach(
            contact_id=user.contact_id,
            stage=Stage.VOLUNTEER,
            at=user.date_joined,
            why=_("Volunteer account %(username)s") % {"username": user.get_username()},
        )
