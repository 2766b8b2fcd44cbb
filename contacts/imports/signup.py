"""Writes the API makes on people: the person_signup_helper, and the donor of the
record_donation_helper. They merge a person as an import does (contacts.imports.people). Staff only (the views' permission), and bounded by the caller's
scope, computed now with the caller (a token acts with its owner's territories):

- a person is matched only among the contacts the caller sees. One known only outside is
  neither changed nor revealed: the signup becomes a contact of its own, paired with the
  other for an administrator's duplicate review (as an organizer's import does);
- a new person the caller could not see (an address outside their territories) is refused,
  and nothing is written;
- "subscribed" from a partner's tool is the tool's word, not the person's: it adds a consent
  where there was none, never undoes a withdrawal (a STOP, an unsubscribe, an objection),
  on this contact nor on the one outside that a new contact duplicates. Staff who hear the
  person consent again record it on the contact's page; "unsubscribed" always applies;
- a person erased at their request (the suppression list) is not added again, as an import
  does not add them, except as a gift's donor: a gift received must be recorded with who
  gave it (campaign finance), so the donation helper says `gift=True`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User
from contacts.identity import identity_lock
from contacts.models import (
    Consent,
    ConsentStatus,
    Contact,
    ContactIdentifier,
    DuplicateCandidate,
    Source,
)
from contacts.privacy.selectors import suppressed_rows
from contacts.scope import contacts_visible_to
from contacts.services import consent_set, contact_keys_fill, contact_tag

from .people import PersonRow, people_frame, people_merge, row_identity


@dataclass(frozen=True)
class Signup:
    """A person as a partner's form or tool sends them (the API's person_signup_helper)."""

    person: PersonRow
    email_status: str = ""  # "subscribed", "unsubscribed" or "" (not said)
    sms_status: str = ""
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    # The person's identifiers in the sender's systems ("foreign_system:1"), kept on the
    # contact; and the country (ISO code) of the address sent, "" when not said.
    identifiers: tuple[str, ...] = ()
    country: str = ""


OWN_PREFIX = "terrain:"  # the API's namespace (campaign.api.osdi.NAMESPACE): our own uuids
SIGNUP_STATUS = {"subscribed": ConsentStatus.GRANTED, "unsubscribed": ConsentStatus.WITHDRAWN}


@dataclass
class SignedUp:
    contact: Contact
    created: bool
    held: list[str] = field(default_factory=list)  # channels whose "subscribed" was not applied


@transaction.atomic
def api_person_signup(
    *, actor: User, signup: Signup, source_detail: str, gift: bool = False
) -> SignedUp:
    """Create or complete a person the caller may see, with the consents and tags the
    signup says, by the rules above."""
    if not (actor.is_active and actor.can_use_crm):
        raise ApplicationError(_("Only administrators and organizers write through the API."))
    if not gift and suppressed_rows(people_frame([signup.person])).any():
        raise ApplicationError(
            _("This person asked to be erased and not to be added again (suppression list).")
        )
    # Two signups of one new person at the same instant: the second waits, then matches
    # the contact the first made (a gift's donor is one record, and one cap).
    identity_lock(email=signup.person.email, identity=row_identity(signup.person))
    visible = contacts_visible_to(actor)
    counts = people_merge(
        people=[signup.person],
        source=Source.API,
        source_detail=source_detail,
        tags=[t for t in signup.add_tags if t.strip()],
        actor_id=actor.pk,
        activity_summary=_("API: %(detail)s") % {"detail": source_detail},
        within=None if actor.is_admin else visible,
    )
    contact_ids = counts.contact_ids or []  # people_merge always asks for them
    contact = visible.filter(pk=contact_ids[0]).first()
    if contact is None:  # a new person outside the caller's territories: undo it all
        raise ApplicationError(
            _("This person is outside your territories: you could not see them."),
            field="postal_code",
        )
    created = counts.created == 1
    _complete(contact, signup, created=created)
    identifiers_keep(contact=contact, identifiers=signup.identifiers)
    withdrawn = _withdrawn_channels(contact, duplicates=created)
    held = []
    for channel, status in (("email", signup.email_status), ("sms", signup.sms_status)):
        if status not in SIGNUP_STATUS:
            continue
        if SIGNUP_STATUS[status] == ConsentStatus.GRANTED and channel in withdrawn:
            held.append(channel)
            continue
        consent_set(
            contact=contact,
            channel=channel,
            status=SIGNUP_STATUS[status],
            source=Source.API,
            actor=actor,
            source_detail=source_detail,
            wording=_("Signed up through the API (%(detail)s)") % {"detail": source_detail},
        )
    if signup.remove_tags:
        contact_tag(contact=contact, actor=actor, remove=signup.remove_tags)
    return SignedUp(contact=contact, created=created, held=held)


def _complete(contact: Contact, signup: Signup, *, created: bool) -> None:
    """What the merge of one row does not carry, by its rule (an empty field takes the value
    sent, nothing is overwritten): custom fields the contact has no value for, and the
    country of the address sent, when that address is the contact's."""
    person = signup.person
    changed = []
    if not created:
        kept = contact.custom_fields or {}
        missing = {k: v for k, v in person.custom_fields.items() if v and not kept.get(k)}
        if missing:
            contact.custom_fields = {**kept, **missing}
            changed.append("custom_fields")
    same_address = (contact.street, contact.postal_code) == (
        person.street.strip(),
        person.postal_code.strip(),
    )
    if signup.country and not contact.country and same_address:
        contact.country = signup.country
        changed.append("country")
    if changed:
        contact_keys_fill(contact)  # a birth year among the custom fields is in the identity
        contact.save(
            update_fields=[
                *changed,
                "first_name_key",
                "last_name_key",
                "commune_key",
                "search_words",
                "identity_key",
                "updated_at",
            ]
        )


@transaction.atomic  # a refusal undoes the rows it made
def identifiers_keep(*, contact: Contact, identifiers: Iterable[str]) -> None:
    """Keep the person's identifiers in other systems on the contact (Terrain's own,
    "terrain:…", are not kept: they are the contact's uuid). One naming another person is
    refused: a sync that sends it is mistaken about who this is. Two writes keeping the same
    new identifier at the same instant do not fail: the second finds it kept (on this
    person: nothing to do; on another: refused), as the first made it."""
    # In the order sent, once each: they are listed in the order they were kept.
    wanted = [i for i in dict.fromkeys(i.strip() for i in identifiers) if i]
    wanted = [i for i in wanted if not i.startswith(OWN_PREFIX)]
    if not wanted:
        return
    known = set(contact.identifiers.values_list("value", flat=True))
    # A row another write has just made (the identifier is unique) is skipped, not an
    # IntegrityError; PostgreSQL waits for that write's end before skipping it.
    ContactIdentifier.objects.bulk_create(
        [ContactIdentifier(contact=contact, value=v) for v in wanted if v not in known],
        ignore_conflicts=True,
    )
    taken = ContactIdentifier.objects.filter(value__in=wanted).exclude(contact=contact)
    if taken.exists():  # the caller's transaction is undone: nothing of this write is kept
        raise ApplicationError(
            _("The identifier %(value)s already names another person.")
            % {"value": taken.values_list("value", flat=True).first()},
            field="identifiers",
        )


def _withdrawn_channels(contact: Contact, *, duplicates: bool) -> set[str]:
    """The channels this person withdrew: on this contact, and (for a contact just made)
    on the contacts it was paired with as a possible duplicate, which the caller may not
    see: their STOP still holds for the same person under a second record."""
    people = [contact.pk]
    if duplicates:
        pairs = DuplicateCandidate.objects.filter(Q(contact_a=contact) | Q(contact_b=contact))
        for a, b in pairs.values_list("contact_a_id", "contact_b_id"):
            people.append(b if a == contact.pk else a)
    return set(
        Consent.objects.filter(contact_id__in=people, status=ConsentStatus.WITHDRAWN).values_list(
            "channel", flat=True
        )
    )
