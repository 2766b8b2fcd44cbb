"""Delivery reports (Twilio's status callbacks), and what the provider's refusals mean
for the person: consent withdrawn, or the number marked unusable."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from contacts import services as contact_services
from contacts.models import Contact, ContactPhone, Source

from ..models import Message, PendingReport

logger = logging.getLogger(__name__)

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


def message_status_update(*, sid: str, status: str, error_code: str = "") -> bool:
    """A delivery report: the state only moves forward (reports arrive out of order, or
    twice). A report for a SID not stored yet (it can come before the provider's answer to
    the send is read) is kept and applied as soon as the SID is written. Returns True when
    the report changed the text now."""
    if status not in KNOWN or not sid:
        return False
    applied = _apply(sid=sid, status=status, error_code=error_code)
    if applied is not None:
        return applied
    PendingReport.objects.create(sid=sid[:64], status=status, error_code=error_code[:10])
    logger.info("Delivery report %s for %s before its SID was stored: kept", status, sid)
    # The SID may have been written since the look-up above. Looked for again once this
    # report is committed: whichever of the two writes commits last sees the other.
    transaction.on_commit(lambda: pending_reports_apply(sids=[sid]))
    return False


@transaction.atomic
def _apply(*, sid: str, status: str, error_code: str) -> bool | None:
    """The report applied to its text; None when no text has this SID (yet)."""
    message = Message.objects.select_for_update().filter(sid=sid).first()
    if message is None:
        return None
    if ORDER.get(message.status, 0) >= ORDER[status]:
        return False
    message.status = KNOWN[status]
    if error_code:
        message.error_code = error_code
    message.save(update_fields=["status", "error_code", "updated_at"])
    if message.status in (Message.Status.UNDELIVERED, Message.Status.FAILED) and error_code:
        provider_says(contact_id=message.contact_id, number=message.to, code=error_code)
    return True


def pending_reports_apply(*, sids: list[str] | None = None) -> int:
    """The kept reports whose SID is now stored (of `sids`, or all), applied in the order
    the states move (a report changes nothing twice), then forgotten. Returns how many.
    Called after every few SIDs written: when none of them has a report waiting (nearly
    always), that costs one indexed look-up."""
    waiting = PendingReport.objects.all()
    if sids is not None:
        waiting = waiting.filter(sid__in=[s for s in sids if s])
    if not waiting.exists():
        return 0
    with transaction.atomic():
        reports = list(waiting.select_for_update(skip_locked=True).order_by("pk")[:5000])
        stored = set(
            Message.objects.filter(sid__in={r.sid for r in reports}).values_list("sid", flat=True)
        )
        found = sorted(
            (r for r in reports if r.sid in stored),
            key=lambda r: (r.sid, ORDER.get(r.status, 0), r.pk),
        )
        for report in found:
            _apply(sid=report.sid, status=report.status, error_code=report.error_code)
        PendingReport.objects.filter(pk__in=[r.pk for r in found]).delete()
    return len(found)


def pending_reports_sweep(*, older_than: timedelta = timedelta(days=3)) -> int:
    """Beat's catch-all: apply what can be, forget reports for SIDs never stored (a text
    sent by another tool on the same account). Returns how many were forgotten."""
    pending_reports_apply()
    forgotten, _by_model = PendingReport.objects.filter(
        received_at__lt=timezone.now() - older_than
    ).delete()
    if forgotten:
        logger.warning("%s delivery reports for unknown SIDs forgotten", forgotten)
    return forgotten
