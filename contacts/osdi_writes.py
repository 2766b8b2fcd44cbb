"""Writes the OSDI API makes besides its helpers (contacts.imports.signup): a person changed
by a PUT, a tag made. Staff only (the views' permission), bounded by the caller's scope, with
the same consent rule as the signup helper: "unsubscribed" always applies, "subscribed"
from a partner's tool never undoes a withdrawal."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User

from .imports.signup import SIGNUP_STATUS, identifiers_keep
from .models import Consent, ConsentStatus, Contact, Source, Tag
from .services import EmailInput, PhoneInput, consent_set, contact_update


@dataclass(frozen=True)
class PersonChanges:
    """What an OSDI PUT says of a person. A field not sent is None and stays as it is; a
    list sent replaces the person's (OSDI: GET the array, PUT back what to keep)."""

    fields: dict  # of contacts.services.CONTACT_FIELDS, custom_fields excepted
    custom_fields: dict | None = None  # merged: the keys sent are set, the others kept
    emails: list[EmailInput] | None = None
    phones: list[PhoneInput] | None = None
    email_status: str = ""  # "subscribed", "unsubscribed" or "" (not said)
    sms_status: str = ""
    country: str | None = None  # the address's ISO code, with the address sent ("" for none)
    identifiers: tuple[str, ...] = ()  # other systems', added to the person's (never removed)


@transaction.atomic
def api_person_update(
    *, actor: User, contact: Contact, changes: PersonChanges, source_detail: str
) -> Contact:
    """Change a person the caller may see as an OSDI PUT says; a change that would move them
    out of the caller's territories is refused and nothing is written."""
    if not (actor.is_active and actor.can_use_crm):
        raise ApplicationError(_("Only administrators and organizers write through the API."))
    fields = dict(changes.fields)
    if changes.custom_fields is not None:
        fields["custom_fields"] = {**(contact.custom_fields or {}), **changes.custom_fields}
    contact_update(
        contact=contact, actor=actor, emails=changes.emails, phones=changes.phones, **fields
    )
    if changes.country is not None and changes.country != contact.country:
        contact.country = changes.country
        contact.save(update_fields=["country", "updated_at"])
    identifiers_keep(contact=contact, identifiers=changes.identifiers)
    withdrawn = set(
        Consent.objects.filter(contact=contact, status=ConsentStatus.WITHDRAWN).values_list(
            "channel", flat=True
        )
    )
    for channel, status in (("email", changes.email_status), ("sms", changes.sms_status)):
        wanted = SIGNUP_STATUS.get(status)
        if wanted is None or (wanted == ConsentStatus.GRANTED and channel in withdrawn):
            continue
        current = contact.consents.filter(channel=channel).values_list("status", flat=True)
        if list(current) == [wanted]:
            continue  # said again: nothing new to record
        consent_set(
            contact=contact,
            channel=channel,
            status=wanted,
            source=Source.API,
            actor=actor,
            source_detail=source_detail,
            wording=_("Changed through the API (%(detail)s)") % {"detail": source_detail},
        )
    return contact


@transaction.atomic
def tag_create(*, name: str) -> Tag:
    """A new tag; a name already taken (spaces aside) is refused, not made twice."""
    clean = " ".join(name.split())
    if not clean:
        raise ApplicationError(_("A tag needs a name."), field="name")
    taken = ApplicationError(
        _("A tag named “%(name)s” already exists.") % {"name": clean}, field="name"
    )
    if Tag.objects.filter(name=clean).exists():
        raise taken
    try:
        with transaction.atomic():  # the same name made at the same instant by another call
            return Tag.objects.create(name=clean)
    except IntegrityError:
        raise taken from None
