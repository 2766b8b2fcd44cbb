"""Writes for emails: leaving a blast's list (one click, no login)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Channel, ConsentStatus, Source
from contacts.services import consent_set

from .models import Message


@transaction.atomic
def email_unsubscribe(*, message: Message) -> bool:
    """The person this message went to withdraws their email consent, with an event naming
    the blast. Acts on that message's person alone (its token is the only authority).
    Returns False when it had already been done (a second click, a mail scanner's POST)."""
    message = (
        Message.objects.select_for_update().select_related("blast", "contact").get(pk=message.pk)
    )
    if message.unsubscribed_at is not None:
        return False
    message.unsubscribed_at = timezone.now()
    message.save(update_fields=["unsubscribed_at", "updated_at"])
    contact = message.contact
    if contact is not None:
        current = contact.consents.filter(channel=Channel.EMAIL).first()
        if current is None or current.status != ConsentStatus.WITHDRAWN:
            consent_set(
                contact=contact,
                channel=Channel.EMAIL,
                status=ConsentStatus.WITHDRAWN,
                source=Source.EMAIL,
                actor=None,
                wording=_("Unsubscribe link of the email “%(subject)s”")
                % {"subject": message.blast.subject},
                source_detail=message.blast.name,
            )
    return True
