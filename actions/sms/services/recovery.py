"""Recovery (beat, every minute): start scheduled blasts whose time has come, blasts whose
quiet hours have ended, and send again what a lost task or a dead worker left behind.
Delivery reports kept for SIDs stored since are applied."""

from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Blast, Message, P2PCampaign
from .quiet_hours import quiet_until
from .sending import conversation_message_send_task, queue_batches, queue_fan_out
from .status import pending_reports_sweep


def recover() -> dict:
    """Start scheduled blasts whose time has come, and blasts whose quiet hours have ended;
    send again the batches of blasts still sending whose queued or stale messages no task
    is moving (a task lost, a worker dead). Nothing is queued for a blast in its quiet
    hours: its texts wait in the database."""
    now = timezone.now()
    due = list(
        Blast.objects.filter(status=Blast.Status.SCHEDULED, scheduled_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for blast_id in due:
        queue_fan_out(blast_id)
    stale_before = now - timedelta(seconds=settings.SMS_CLAIM_STALE_SECONDS)
    sending = list(Blast.objects.filter(status=Blast.Status.SENDING))
    quiet = {b.pk for b in sending if b.resume_at is not None or quiet_until(b, now) is not None}
    woken = 0
    for blast in sending:
        if blast.resume_at is None or blast.resume_at > now or quiet_until(blast, now):
            continue
        # One recovery wakes it (beat runs one at a time, but a manual run may overlap).
        if Blast.objects.filter(pk=blast.pk, resume_at=blast.resume_at).update(resume_at=None):
            queue_batches(blast.pk, stale_before=stale_before)
            woken += 1
    stuck = set(
        Message.objects.filter(
            blast__status=Blast.Status.SENDING,
            status=Message.Status.SENDING,
            claimed_at__lt=stale_before,
        ).values_list("blast_id", flat=True)
    )
    idle = set(
        Blast.objects.filter(status=Blast.Status.SENDING)
        .exclude(messages__updated_at__gte=stale_before)
        .values_list("pk", flat=True)
    )
    unwritten = set(
        Blast.objects.filter(pk__in=idle, fanned_out=False).values_list("pk", flat=True)
    )
    for blast_id in unwritten:  # the fan-out died half way: write the rest (idempotent)
        queue_fan_out(blast_id)
    for blast_id in (stuck | idle) - unwritten - quiet:
        queue_batches(blast_id, stale_before=stale_before)
    return {
        "started": len(due),
        "after_quiet_hours": woken,
        "resumed": len((stuck | idle) - quiet),
        "conversation_texts": _recover_conversation_texts(now, stale_before),
        "reports_forgotten": pending_reports_sweep(),
    }


def _recover_conversation_texts(now: datetime, stale_before: datetime) -> int:
    """Volunteers' texts that waited out quiet hours, or whose task or worker was lost; a
    claim gone stale is looked up at the provider before anything is sent again."""
    campaigns = [
        c.pk
        for c in P2PCampaign.objects.filter(status=P2PCampaign.Status.ACTIVE)
        if quiet_until(c, now) is None
    ]
    waiting = Message.objects.filter(conversation__campaign_id__in=campaigns).filter(
        Q(status=Message.Status.QUEUED, updated_at__lt=stale_before)
        | Q(status=Message.Status.SENDING, claimed_at__lt=stale_before)
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:5000])
    for message_id in ids:
        conversation_message_send_task.delay(message_id)
    return len(ids)


@shared_task(name="sms.recover")
def sms_recover_task() -> dict:
    return recover()
