"""Delivery reports (Twilio's status callbacks), and what the provider's refusals mean
for the person: consent withdrawn, or the number marked unusable."""

from django.db import transaction

from contacts import services as contact_services
from contacts.models import Contact, ContactPhone, Source

from ..models import Message

# What the provider's refusals mean for the person (Twilio's error codes).
CONSENT_OFF = {"21610", "30004"}  # unsubscribed at the carrier; blocked
NUMBER_BAD = {
    "21211": "invalid number",
    "21614": "not a mobile number",
    "30005": "unknown number",
    "30006": "landline or unreachable carrier",
}


def provider_says(*, contact_id: int | None, number: str, code: str) -> None:
    """What a refusal code means for the person: SMS consent withdrawn, or the number marked."""
    if contact_id is None:
        return
    if code in CONSENT_OFF:
        contact = Contact.objects.get(pk=contact_id)
        contact_services.consent_set(
            contact=contact,
            channel="sms",
            status="withdrawn",
            source=Source.SMS,
            source_detail=f"Twilio {code}",
            actor=None,
        )
    elif code in NUMBER_BAD:
        ContactPhone.objects.filter(contact_id=contact_id, e164=number).update(
            sms_blocked=f"{code}: {NUMBER_BAD[code]}"
        )


ORDER = {
    "queued": 0,
    "accepted": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
}
KNOWN = {
    "sent": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "undelivered": Message.Status.UNDELIVERED,
    "failed": Message.Status.FAILED,
}


@transaction.atomic
def message_status_update(*, sid: str, status: str, error_code: str = "") -> bool:
    """A delivery report: the state only moves forward (reports arrive out of order, or
    twice). Returns False for a SID we do not know or a report that changes nothing."""
    new = KNOWN.get(status)
    if new is None:
        return False
    message = Message.objects.select_for_update().filter(sid=sid).first()
    if message is None or ORDER.get(message.status, 0) >= ORDER[status]:
        return False
    message.status = new
    if error_code:
        message.error_code = error_code
    message.save(update_fields=["status", "error_code", "updated_at"])
    if new in (Message.Status.UNDELIVERED, Message.Status.FAILED) and error_code:
        provider_says(contact_id=message.contact_id, number=message.to, code=error_code)
    return True
