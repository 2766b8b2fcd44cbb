"""The email sending engine: a blast's messages written one per person (the fan-out), then
sent in batches over one reused connection, each message claimed before the provider is
called so that nobody gets it twice, within the sender's rate shared by every worker, with
retries and backoff when the server is busy or gone."""

import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.counters import throttle
from campaign.mail.rendering import Footer, email_message
from contacts.models import ContactEmail

from .models import Blast, Message
from .selectors import blast_recipients, still_reachable
from .unsubscribe import blast_headers, new_message_id, unsubscribe_url

logger = logging.getLogger(__name__)
BATCH = 200  # messages per send task
RECORD_EVERY = 50  # outcomes written in one statement
FAN_OUT_CHUNK = 2000
RECONNECTS = 4  # a lost connection is opened again this many times in a task, with backoff


def queue_fan_out(blast_id: int) -> None:
    blast_fan_out_task.delay(blast_id)


def blast_fan_out(*, blast_id: int, on_batch=lambda ids: None) -> list[list[int]]:
    """Write the blast's messages chunk by chunk (one per person and per address), handing
    each batch of ids to `on_batch` as soon as it exists; returns the batches. Safe to run
    twice (existing rows are kept, and their claim stops a second send). A paused,
    cancelled or finished blast gets none."""
    started = Blast.objects.filter(
        pk=blast_id, status__in=[Blast.Status.SCHEDULED, Blast.Status.SENDING]
    ).update(status=Blast.Status.SENDING, started_at=timezone.now())
    if not started:
        return []
    blast = Blast.objects.select_related("segment", "started_by").get(pk=blast_id)
    # The starter's scope, now: it reaches only the people the one who started it may reach.
    recipients = blast_recipients(blast, user=blast.started_by)
    rows = recipients.values_list("pk", "address")  # type: ignore[misc]
    batches: list[list[int]] = []

    def flush(chunk: list[Message]) -> None:
        Message.objects.bulk_create(chunk, ignore_conflicts=True)
        ids = list(
            Message.objects.filter(
                blast_id=blast_id,
                contact_id__in=[m.contact_id for m in chunk],
                status=Message.Status.QUEUED,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for batch in _batches(ids):
            batches.append(batch)
            on_batch(batch)

    chunk: list[Message] = []
    addresses: set[str] = set()
    for contact_id, address in rows.order_by("pk").iterator(chunk_size=FAN_OUT_CHUNK):
        if address in addresses:  # two records of one person: one email
            continue
        addresses.add(address)
        chunk.append(
            Message(
                blast=blast, contact_id=contact_id, to=address, message_id=new_message_id(blast_id)
            )
        )
        if len(chunk) >= FAN_OUT_CHUNK:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)
    Blast.objects.filter(pk=blast_id).update(
        recipients=Message.objects.filter(blast_id=blast_id).count(), fanned_out=True
    )
    _finish_if_done(blast_id)
    return batches


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def queue_batches(blast_id: int) -> int:
    """A send task per batch of the blast's queued messages; marks it done when none waits."""
    waiting = Message.objects.filter(blast_id=blast_id, status=Message.Status.QUEUED)
    batches = _batches(list(waiting.order_by("pk").values_list("pk", flat=True)))
    for batch in batches:
        blast_send_batch_task.delay(blast_id, batch)
    _finish_if_done(blast_id)
    return len(batches)


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    suppressed: int = 0
    retry_later: list[int] = field(default_factory=list)
    stopped: bool = False  # paused or cancelled


def _claim(message_ids: list[int], now: datetime) -> list[Message]:
    """Take the queued messages among these, committed before any call to the provider: a
    message another task holds, or that was sent, is not taken."""
    with transaction.atomic():
        rows = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("contact")
            .filter(pk__in=message_ids, status=Message.Status.QUEUED)
        )
        Message.objects.filter(pk__in=[m.pk for m in rows]).update(
            status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    for row in rows:
        row.attempts += 1
    return rows


def blast_footer(blast: Blast, *, unsubscribe: str) -> Footer:
    """Why the person gets it, the sender's address, the click-tracking note if it is on,
    and the unsubscribe link."""
    sender = blast.sender
    note = (
        _("Clicks on the links of this email are counted, to know what interests you.")
        if blast.track_clicks
        else ""
    )
    return Footer(
        reason=_("You receive this email because you agreed to hear from %(sender)s.")
        % {"sender": sender.name},
        unsubscribe_url=unsubscribe,
        address=sender.postal_address or None,
        note=note,
    )


def person_values(contact) -> dict[str, str]:
    """A contact's merge fields (nobody: none)."""
    if contact is None:
        return {}
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "commune": contact.commune,
    }


def build_message(blast: Blast, message: Message, *, connection=None):
    """The email of one message: the blast's text for this person, both parts, and the
    headers every blast carries (List-Unsubscribe, its one-click POST, Message-ID,
    Feedback-ID)."""
    sender = blast.sender
    return email_message(
        to=[message.to],
        subject=blast.subject,
        body=blast.body,
        preheader=blast.preheader,
        person=person_values(message.contact),
        footer=blast_footer(blast, unsubscribe=unsubscribe_url(message)),
        from_email=f"{sender.name} <{sender.address}>",
        reply_to=[sender.reply_to] if sender.reply_to else [],
        headers=blast_headers(message),
        connection=connection,
    )


class _Refused(Exception):
    """The server refused this message for good (hard: the address does not exist)."""

    def __init__(self, error: str, *, bounce: bool):
        super().__init__(error)
        self.bounce = bounce


class _Deferred(Exception):
    """The server asked to try this message later (4xx: a soft bounce)."""


def _send_one(connection, email) -> None:
    """Send one message. A refusal of the recipient for good (5xx) is _Refused, for now
    (4xx) _Deferred; a lost connection (or a 421: the server closes) is raised as is, for
    the caller to open another."""
    try:
        sent = connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as error:
        code, reason = next(iter(error.recipients.values()))
        if code >= 500:
            raise _Refused(f"{code} {reason!r}", bounce=True) from error
        raise _Deferred(f"{code} {reason!r}") from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            raise _Refused(f"{error.smtp_code} {error.smtp_error!r}", bounce=False) from error
        if error.smtp_code != 421:
            raise _Deferred(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise
    if not sent:
        raise _Refused(_("refused by the provider"), bounce=False)


def blast_send_batch(*, blast_id: int, message_ids: list[int]) -> BatchResult:
    """Send these messages of a blast, each at most once, over one connection, within the
    sender's rate. Each person's consent is checked now; a hard refusal marks the address
    bouncing; a server that is busy or gone is tried again, then the rest waits."""
    result = BatchResult()
    blast = Blast.objects.select_related("sender").filter(pk=blast_id).first()
    if blast is None or blast.status != Blast.Status.SENDING:
        result.stopped = True
        return result
    claimed = _claim(message_ids, timezone.now())
    allowed = still_reachable([m.pk for m in claimed])
    suppressed = [m.pk for m in claimed if m.pk not in allowed]
    Message.objects.filter(pk__in=suppressed).update(status=Message.Status.SUPPRESSED)
    result.suppressed = len(suppressed)
    to_send = [m for m in claimed if m.pk in allowed]
    connection = get_connection()
    done: list[Message] = []
    reconnects = 0
    try:
        for index, message in enumerate(to_send):
            if index % 50 == 0 and _stopped(blast_id):
                _release(to_send[index:])
                result.stopped = True
                break
            throttle(
                f"email:{blast.sender.address}", 1, per_second=settings.EMAIL_MESSAGES_PER_SECOND
            )
            email = build_message(blast, message, connection=connection)
            while True:
                try:
                    connection.open()  # kept open across messages: nothing when it is
                    _send_one(connection, email)
                except _Refused as refusal:
                    _refuse(message, str(refusal), bounce=refusal.bounce)
                    if refusal.bounce:
                        result.bounced += 1
                    else:
                        result.failed += 1
                    break
                except _Deferred as deferral:
                    Message.objects.filter(pk=message.pk).update(
                        soft_bounces=F("soft_bounces") + 1, error=str(deferral)[:500]
                    )
                    message.status = Message.Status.QUEUED
                    result.retry_later += _release([message])
                    break
                except (smtplib.SMTPException, OSError) as error:
                    reconnects += 1
                    logger.warning("Email %s: %r (reconnect %s)", message.pk, error, reconnects)
                    connection.close()
                    if reconnects > RECONNECTS:
                        raise
                    time.sleep(min(8.0, 0.25 * 2**reconnects))
                    continue
                message.status, message.sent_at = Message.Status.SENT, timezone.now()
                message.provider_id = _provider_id(email)
                done.append(message)
                break
            if len(done) >= RECORD_EVERY:
                _record_sent(done)
                result.sent += len(done)
                done = []
    except (smtplib.SMTPException, OSError):
        # The server stays away: what was not sent waits for a later try.
        sent_ids = {m.pk for m in done}
        waiting = [
            m
            for m in to_send
            if m.pk not in sent_ids and m.status == Message.Status.SENDING and m.sent_at is None
        ]
        result.retry_later = _release(waiting)
    finally:
        connection.close()
        _record_sent(done)
        result.sent += len(done)
    _finish_if_done(blast_id)
    return result


def _stopped(blast_id: int) -> bool:
    return not Blast.objects.filter(pk=blast_id, status=Blast.Status.SENDING).exists()


def _release(messages: list[Message]) -> list[int]:
    """Claimed messages not sent go back in the queue (or fail, once tried enough)."""
    back = [m.pk for m in messages if m.attempts < settings.EMAIL_MAX_ATTEMPTS]
    given_up = [m.pk for m in messages if m.attempts >= settings.EMAIL_MAX_ATTEMPTS]
    Message.objects.filter(pk__in=back, status=Message.Status.SENDING).update(
        status=Message.Status.QUEUED
    )
    Message.objects.filter(pk__in=given_up, status=Message.Status.SENDING).update(
        status=Message.Status.FAILED, error=_("the mail server could not be reached")
    )
    return back


def _provider_id(email) -> str | None:
    """The provider's id of a sent message (anymail says it), for its delivery reports."""
    status = getattr(email, "anymail_status", None)
    return getattr(status, "message_id", None) or None


def _record_sent(messages: list[Message]) -> None:
    """Outcomes written a few at a time: a worker dying before this line leaves its
    messages "sending", and recovery never sends those again (see email_recover)."""
    if messages:
        Message.objects.bulk_update(messages, ["status", "sent_at", "provider_id"])


def _refuse(message: Message, error: str, *, bounce: bool) -> None:
    message.status = Message.Status.BOUNCED if bounce else Message.Status.FAILED
    Message.objects.filter(pk=message.pk).update(status=message.status, error=error[:500])
    if bounce and message.contact_id:
        ContactEmail.objects.filter(
            contact_id=message.contact_id, address=message.to, bounced_at__isnull=True
        ).update(bounced_at=timezone.now())


def _finish_if_done(blast_id: int) -> None:
    waiting = Message.objects.filter(
        blast_id=blast_id, status__in=[Message.Status.QUEUED, Message.Status.SENDING]
    )
    if not waiting.exists():
        Blast.objects.filter(pk=blast_id, status=Blast.Status.SENDING, fanned_out=True).update(
            status=Blast.Status.DONE, finished_at=timezone.now()
        )


def email_recover(*, now: datetime | None = None) -> int:
    """Messages a dead worker left claimed: whether they went is unknown, so none is sent
    again (nobody gets a blast twice); they are marked failed, saying so. Scheduled blasts
    whose time has come start, and blasts whose send tasks were lost get their queued
    messages queued again. Returns the messages given up."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.EMAIL_CLAIM_STALE_SECONDS)
    given_up = Message.objects.filter(
        status=Message.Status.SENDING, claimed_at__lt=stale_before
    ).update(
        status=Message.Status.FAILED,
        error=_("the worker stopped while sending: not sent again, so nobody gets it twice"),
    )
    due = Blast.objects.filter(status=Blast.Status.SCHEDULED, scheduled_at__lte=now)
    for blast_id in due.values_list("pk", flat=True):  # scheduled, or a lost fan-out
        queue_fan_out(blast_id)
    idle = Blast.objects.filter(status=Blast.Status.SENDING, fanned_out=True)
    for blast_id in idle.values_list("pk", flat=True):
        recent = Message.objects.filter(
            blast_id=blast_id, status=Message.Status.SENDING, claimed_at__gte=stale_before
        )
        if not recent.exists():
            queue_batches(blast_id)
    return given_up


def _later(task, args: tuple, **when) -> None:
    """Run `task` again later; run eagerly (the embedded defaults) a task cannot wait: its
    rows stay queued and the next recovery picks them up."""
    if not task.app.conf.task_always_eager:
        task.apply_async(args, **when)


@shared_task(name="emails.fan_out", acks_late=True)
def blast_fan_out_task(blast_id: int) -> int:
    """One message row per person, then one send task per batch."""
    batches = blast_fan_out(
        blast_id=blast_id, on_batch=lambda ids: blast_send_batch_task.delay(blast_id, ids)
    )
    return sum(len(b) for b in batches)


@shared_task(name="emails.send_batch", acks_late=True)
def blast_send_batch_task(blast_id: int, message_ids: list[int]) -> dict:
    result = blast_send_batch(blast_id=blast_id, message_ids=message_ids)
    if result.retry_later:  # the server was busy or down: again in a minute
        _later(blast_send_batch_task, (blast_id, result.retry_later), countdown=60)
    return {
        "sent": result.sent,
        "failed": result.failed,
        "bounced": result.bounced,
        "suppressed": result.suppressed,
    }


@shared_task(name="emails.recover")
def email_recover_task() -> int:
    return email_recover()
