"""Transactional mail to a person (campaign.mail.transactional sends it): a receipt, a
confirmation link. It needs no marketing consent, but an erased person gets none, and
neither does an address on the suppression list (kept, hashed, for people who asked to be
erased: contacts.privacy). The call says what happened, and why nothing was sent."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from campaign.mail.rendering import Attachment
from campaign.mail.transactional import transactional_send

from .models import Contact, ContactEmail, Suppression
from .models.privacy import suppression_digest


class Unsent(StrEnum):
    ERASED = "erased"  # the person was erased (GDPR art. 17)
    SUPPRESSED = "suppressed"  # the address belongs to someone erased
    NO_ADDRESS = "no_address"  # no email on file (or the person is gone)
    BOUNCING = "bouncing"  # the address bounced for good: it does not exist


@dataclass(frozen=True)
class Mailed:
    """What a transactional send did: the address written to, else why nothing was sent."""

    address: str = ""
    unsent: Unsent | None = None

    @property
    def sent(self) -> bool:
        return self.unsent is None


def email_suppressed(address: str) -> bool:
    """True when `address` is on the suppression list (an erased person's)."""
    digest = suppression_digest(Suppression.Kind.EMAIL, address.strip().lower())
    return Suppression.objects.filter(digest=digest).exists()


def person_values(contact: Contact) -> dict[str, str]:
    """The contact's merge values ({prenom}, {nom}, {commune})."""
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "commune": contact.commune,
    }


def contact_mail_send(
    *,
    contact_id: int,
    subject: str,
    body: str,
    address: str = "",
    preheader: str = "",
    extra: Mapping[str, str] | None = None,
    reason: str = "",
    attachments: Sequence[Attachment] = (),
    person: Mapping[str, str] | None = None,
) -> Mailed:
    """Send one transactional message to a contact: at `address` if it is one of theirs,
    else their primary email. Nothing goes to an erased contact, nor to a suppressed
    address, nor to one that bounced for good. `person` overrides the contact's merge values (a donor's name as typed)."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        return Mailed(unsent=Unsent.NO_ADDRESS)
    if contact.erased_at is not None:
        return Mailed(unsent=Unsent.ERASED)
    emails = ContactEmail.objects.filter(contact=contact)
    email = (address and emails.filter(address__iexact=address.strip()).first()) or (
        emails.order_by("-is_primary", "id").first()
    )
    if email is None:
        return Mailed(unsent=Unsent.NO_ADDRESS)
    if email_suppressed(email.address):
        return Mailed(address=email.address, unsent=Unsent.SUPPRESSED)
    if email.bounced_at is not None:  # another try would bounce, and cost the sender's name
        return Mailed(address=email.address, unsent=Unsent.BOUNCING)
    transactional_send(
        to=email.address,
        subject=subject,
        body=body,
        preheader=preheader,
        person=person or person_values(contact),
        extra=extra,
        reason=reason,
        attachments=attachments,
    )
    return Mailed(address=email.address)
