"""The sending engine: a blast's messages written one per person (the fan-out) and sent in
batches, volunteers' texts one at a time; each text claimed before the provider is called,
so it goes out at most once, retried with backoff, and looked up at the provider when its
answer was lost."""

import asyncio
import logging
import queue
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.counters import book
from contacts.funnel.services import stage_reach
from contacts.funnel.stages import Stage
from contacts.models import Contact

from .. import text
from ..backends import SendError, SentMessage, sms_backend
from ..models import Blast, Message
from ..selectors import blast_recipients, still_reachable
from .quiet_hours import quiet_begins, quiet_until
from .status import pending_reports_apply, provider_says

logger = logging.getLogger(__name__)
BATCH = 250  # messages per send task
RECORD_EVERY = 50  # SIDs written in one statement
FAN_OUT_CHUNK = 2000
QUIET_MARGIN = timedelta(seconds=1)  # no call starts later than this before quiet hours
RETRIES = 4  # per message in a task, for rate limits and outages, with backoff and jitter


def rendered(blast: Blast, contact: Contact | dict) -> str:
    values = contact if isinstance(contact, dict) else contact.__dict__
    return text.render(blast.body, values, opt_out_line=settings.SMS_OPT_OUT_LINE)


def queue_fan_out(blast_id: int) -> None:
    blast_fan_out_task.delay(blast_id)


# Fan-out: one message row per person, under unique constraints, then batches to send.


def blast_fan_out(*, blast_id: int, on_batch=lambda ids: None) -> list[list[int]]:
    """Create the blast's messages chunk by chunk, handing each batch of ids to `on_batch`
    as soon as it exists (sending starts while the rest is written); returns the batches.
    Safe to run twice (existing rows are kept; queued ones are handed out again, and their
    claim stops a second send). A paused, cancelled or finished blast gets no batches."""
    now = timezone.now()
    started = Blast.objects.filter(
        pk=blast_id, status__in=[Blast.Status.SCHEDULED, Blast.Status.SENDING]
    ).update(status=Blast.Status.SENDING, started_at=now)
    if not started:
        return []
    blast = Blast.objects.select_related("segment", "started_by").get(pk=blast_id)
    # The starter's scope, now: whoever wrote the draft, it reaches only the people the one
    # who started it may reach.
    recipients = blast_recipients(blast, user=blast.started_by)
    # "mobile" is sms_reachable's annotation, which the type checker cannot see.
    rows = recipients.values("pk", "first_name", "last_name", "commune", "mobile")  # type: ignore[misc]
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
    numbers: set[str] = set()
    for row in rows.order_by("pk").iterator(chunk_size=FAN_OUT_CHUNK):
        if row["mobile"] in numbers:
            continue
        numbers.add(row["mobile"])
        body = rendered(blast, row)
        chunk.append(
            Message(
                blast=blast,
                contact_id=row["pk"],
                to=row["mobile"],
                body=body,
                segments=text.measure(body).segments,
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


def queue_batches(blast_id: int, *, stale_before: datetime | None = None) -> int:
    """A send task per batch of the blast's queued messages, and with `stale_before` of
    those a dead worker claimed before then; marks the blast done when nothing waits."""
    waiting = Message.objects.filter(blast_id=blast_id)
    if stale_before is None:
        waiting = waiting.filter(status=Message.Status.QUEUED)
    else:
        waiting = waiting.filter(_queued_or_stale(stale_before))
    batches = _batches(list(waiting.order_by("pk").values_list("pk", flat=True)))
    for batch in batches:
        blast_send_batch_task.delay(blast_id, batch)
    _finish_if_done(blast_id)
    return len(batches)


# Sending


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    suppressed: int = 0
    retry_later: list[int] = field(default_factory=list)
    resume_at: datetime | None = None  # quiet hours: what was not sent waits until then
    held: int = 0  # claimed, but quiet hours began before their turn: back in the queue
    stopped: bool = False  # paused or cancelled


def _claim(message_ids: list[int], now: datetime) -> tuple[list[Message], set[int]]:
    """Take the messages this task may send: queued ones, and ones claimed so long ago that
    their worker died (those are looked up at the provider before anything is sent).
    Committed before any call to the provider."""
    stale_before = now - timedelta(seconds=settings.SMS_CLAIM_STALE_SECONDS)
    with transaction.atomic():
        rows = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids)
            .filter(_queued_or_stale(stale_before))
        )
        stale = {m.pk for m in rows if m.status == Message.Status.SENDING}
        Message.objects.filter(pk__in=[m.pk for m in rows]).update(
            status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    for row in rows:
        row.attempts += 1
    return rows, stale


def _queued_or_stale(stale_before: datetime) -> Q:
    return Q(status=Message.Status.QUEUED) | Q(
        status=Message.Status.SENDING, claimed_at__lt=stale_before
    )


class QuietHoursBegan(Exception):
    """The quiet window began before this text's turn came: it was not sent. `uncertain`:
    an earlier call's answer was lost, so it is looked up at the provider before any
    new attempt."""

    def __init__(self, *, uncertain: bool) -> None:
        super().__init__("quiet hours began")
        self.uncertain = uncertain


async def _deliver(
    sender,
    message: Message,
    *,
    look_up_first: bool,
    callback: str,
    quiet_from: datetime | None = None,
) -> tuple[SentMessage, datetime]:
    """On the sending loop: no database here, only the provider and the shared schedule.

    A call whose answer was lost (a timeout, a cut connection) may have reached the
    provider: the text is looked up there before it is sent again, or given up. No call
    starts at or after `quiet_from`, the moment quiet hours begin."""
    for attempt in range(RETRIES + 1):
        if look_up_first and (found := await _look_up(message)):
            return found
        if attempt and sms_backend().limited:  # a retry takes a slot of its own
            wait = book(SENDER_KEY, message.segments, per_second=settings.SMS_SEGMENTS_PER_SECOND)
            await asyncio.sleep(wait)
        if quiet_from is not None and timezone.now() >= quiet_from:
            raise QuietHoursBegan(uncertain=look_up_first)
        try:
            sent = await sender.send(to=message.to, body=message.body, status_callback=callback)
            return sent, timezone.now()
        except SendError as error:
            if not error.retryable:
                raise
            if attempt == RETRIES:
                if error.maybe_sent and (found := await _look_up(message)):
                    return found
                raise
            look_up_first = error.maybe_sent
            await asyncio.sleep(min(8.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


async def _look_up(message: Message) -> tuple[SentMessage, datetime] | None:
    """The text as the provider has it, if it got it since the claim (a few minutes' slack)."""
    since = cast(datetime, message.claimed_at) - timedelta(minutes=5)  # set by the claim
    find = sms_backend().find_sent
    sid = await asyncio.to_thread(find, to=message.to, body=message.body, since=since)
    return (SentMessage(sid=sid, status="sent"), timezone.now()) if sid else None


async def _send_all(
    to_send: list[Message],
    stale: set[int],
    callback: str,
    results: queue.SimpleQueue,
    quiet_from: datetime | None = None,
) -> None:
    """Send on one event loop: each text waits for the slot booked for it in the sender's
    schedule (a chunk at a time, never more than a second ahead), at most
    SMS_CONCURRENCY calls in flight, none from `quiet_from` on. Each outcome goes to
    `results` as it comes."""
    loop = asyncio.get_running_loop()
    in_flight = asyncio.Semaphore(settings.SMS_CONCURRENCY)
    per_second = settings.SMS_SEGMENTS_PER_SECOND

    async def one(sender, message: Message, not_before: float) -> None:
        await asyncio.sleep(max(0.0, not_before - loop.time()))
        async with in_flight:
            outcome: tuple[SentMessage, datetime] | Exception
            try:
                outcome = await _deliver(
                    sender,
                    message,
                    look_up_first=message.pk in stale,
                    callback=callback,
                    quiet_from=quiet_from,
                )
            except Exception as error:  # handed over: the caller sorts the errors out
                outcome = error
        results.put((message, outcome))

    backend = sms_backend()
    try:
        async with backend.sender() as sender:
            tasks = []
            size = max(1, min(50, per_second))
            for i in range(0, len(to_send), size):
                chunk = to_send[i : i + size]
                if not backend.limited:
                    tasks += [asyncio.create_task(one(sender, m, 0.0)) for m in chunk]
                    continue
                wait = book(SENDER_KEY, sum(m.segments for m in chunk), per_second=per_second)
                if wait > 1:  # the sender is busy: book no further ahead than a second
                    await asyncio.sleep(wait - 1)
                    wait = 1
                start = loop.time() + wait
                for m in chunk:
                    tasks.append(asyncio.create_task(one(sender, m, start)))
                    start += m.segments / per_second
            await asyncio.gather(*tasks)
    finally:
        results.put(None)


def blast_send_batch(*, blast_id: int, message_ids: list[int]) -> BatchResult:
    """Send these messages of a blast, each at most once, several at a time within the
    sender's segments-per-second. Each person's consent is checked now, and quiet hours
    before every call to the provider: a text whose turn comes once the window has begun
    goes back in the queue, and the blast waits in the database for the window's end."""
    result = BatchResult()
    blast = Blast.objects.filter(pk=blast_id).first()
    if blast is None or blast.status != Blast.Status.SENDING:
        result.stopped = True
        return result
    now = timezone.now()
    window = quiet_begins(blast, now)
    quiet_from = _last_call_before(window)
    if window is not None and cast(datetime, quiet_from) <= now:
        result.resume_at = quiet_until(blast, max(window, now))
        _wait_for_morning(blast_id, result.resume_at)
        return result
    claimed, stale = _claim(message_ids, now)
    allowed = still_reachable([m.pk for m in claimed])
    suppressed = [m.pk for m in claimed if m.pk not in allowed]
    Message.objects.filter(pk__in=suppressed).update(status=Message.Status.SUPPRESSED)
    result.suppressed = len(suppressed)
    to_send = [m for m in claimed if m.pk in allowed]
    for m in to_send:
        m.claimed_at = now if m.pk not in stale else m.claimed_at
    callback = settings.SITE_URL.rstrip("/") + reverse("sms:status_callback")
    # The sending runs on an event loop in a thread of its own; this thread, which holds the
    # database connection, writes the outcomes down as they arrive.
    results: queue.SimpleQueue = queue.SimpleQueue()
    loop_thread = threading.Thread(
        target=lambda: asyncio.run(_send_all(to_send, stale, callback, results, quiet_from)),
        name="sms-send",
        daemon=True,
    )
    loop_thread.start()
    done: list[Message] = []
    held: list[tuple[Message, bool]] = []
    while (item := results.get()) is not None:
        message, outcome = item
        if isinstance(outcome, QuietHoursBegan):
            held.append((message, outcome.uncertain))
            continue
        if isinstance(outcome, SendError):
            if _try_again(message, outcome):
                result.retry_later.append(message.pk)
            else:
                result.failed += 1
            continue
        if isinstance(outcome, BaseException):  # a bug or an odd answer: never resend blindly
            logger.error("SMS %s: %r; left for the provider check", message.pk, outcome)
            continue
        sent, sent_at = outcome
        message.status, message.sid, message.sent_at = Message.Status.SENT, sent.sid, sent_at
        done.append(message)
        if len(done) >= RECORD_EVERY:
            _record_sent(done)
            result.sent += len(done)
            done = []
    loop_thread.join()
    _record_sent(done)
    result.sent += len(done)
    if held:
        _hold(held)
        result.held = len(held)
        result.resume_at = quiet_until(blast, max(cast(datetime, window), now))
        _wait_for_morning(blast_id, result.resume_at)
    _finish_if_done(blast_id)
    return result


def _last_call_before(quiet_from: datetime | None) -> datetime | None:
    """The last moment a call may start: a second before the window, so that a text whose
    call starts then reaches the provider before the window has begun."""
    return quiet_from - QUIET_MARGIN if quiet_from is not None else None


def _hold(held: list[tuple[Message, bool]]) -> None:
    """Texts claimed but not sent when quiet hours began: back in the queue, the claim not
    counted as an attempt. One whose earlier answer was lost stays claimed at its first
    claim's time, so the next worker looks it up at the provider before sending it."""
    Message.objects.filter(pk__in=[m.pk for m, uncertain in held if not uncertain]).update(
        status=Message.Status.QUEUED, attempts=F("attempts") - 1
    )
    for message, uncertain in held:
        if uncertain:
            Message.objects.filter(pk=message.pk).update(claimed_at=message.claimed_at)


def _wait_for_morning(blast_id: int, resume_at: datetime | None) -> None:
    """The blast waits in the database; beat's recovery sends it again at `resume_at`."""
    Blast.objects.filter(pk=blast_id, status=Blast.Status.SENDING).update(resume_at=resume_at)


SENDER_KEY = "sms:segments"


class Outcome(StrEnum):
    """What became of one text of a conversation."""

    SENT = "sent"
    FAILED = "failed"  # refused for good, or tried SMS_MAX_ATTEMPTS times
    SUPPRESSED = "suppressed"  # the person may not be texted at that number any more
    RETRY = "retry"  # the provider was busy or down: back in the queue
    QUIET = "quiet"  # quiet hours: again at resume_at
    TAKEN = "taken"  # claimed elsewhere, or gone


@dataclass
class OneResult:
    outcome: Outcome
    resume_at: datetime | None = None


def conversation_message_send(*, message_id: int) -> OneResult:
    """Send one text a volunteer wrote or tapped, at most once: the row is claimed before the
    provider is called; quiet hours and the person's consent are checked now; the text takes
    its slot in the sender's schedule, shared with blasts."""
    message = (
        Message.objects.select_related("conversation__campaign")
        .filter(pk=message_id, conversation__isnull=False)
        .first()
    )
    if message is None or message.conversation is None:  # gone (the filter wants a conversation)
        return OneResult(Outcome.TAKEN)
    campaign = message.conversation.campaign
    now = timezone.now()
    window = quiet_begins(campaign, now)
    quiet_from = _last_call_before(window)
    if window is not None and cast(datetime, quiet_from) <= now:
        return OneResult(Outcome.QUIET, quiet_until(campaign, max(window, now)))
    claimed, stale = _claim([message_id], now)
    if not claimed:
        return OneResult(Outcome.TAKEN)
    message = claimed[0]
    if not still_reachable([message.pk]):
        Message.objects.filter(pk=message.pk).update(status=Message.Status.SUPPRESSED)
        return OneResult(Outcome.SUPPRESSED)
    if not stale:
        message.claimed_at = now
    callback = settings.SITE_URL.rstrip("/") + reverse("sms:status_callback")

    async def deliver() -> tuple[SentMessage, datetime]:
        backend = sms_backend()
        async with backend.sender() as sender:
            if backend.limited:
                per_second = settings.SMS_SEGMENTS_PER_SECOND
                await asyncio.sleep(book(SENDER_KEY, message.segments, per_second=per_second))
            return await _deliver(
                sender,
                message,
                look_up_first=bool(stale),
                callback=callback,
                quiet_from=quiet_from,
            )

    try:
        sent, sent_at = asyncio.run(deliver())
    except QuietHoursBegan as began:
        _hold([(message, began.uncertain)])
        return OneResult(Outcome.QUIET, quiet_until(campaign, max(cast(datetime, window), now)))
    except SendError as error:
        return OneResult(Outcome.RETRY if _try_again(message, error) else Outcome.FAILED)
    message.status, message.sid, message.sent_at = Message.Status.SENT, sent.sid, sent_at
    _record_sent([message])
    texter = message.sent_by
    if texter is not None and texter.contact_id is not None:  # funnel: a texter is an activist
        stage_reach(
            contact_id=texter.contact_id,
            stage=Stage.ACTIVIST,
            at=sent_at,
            why=_("Sent texts: %(campaign)s") % {"campaign": campaign.name},
        )
    return OneResult(Outcome.SENT)


def _try_again(message: Message, error: SendError) -> bool:
    """After the provider's last refusal or silence (the text looked up there first when
    its answer was lost): True when the text goes back in the queue for a later try. One
    refused for good, or tried SMS_MAX_ATTEMPTS times, is marked failed with the code."""
    if error.retryable and message.attempts < settings.SMS_MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED)
        return True
    _refused(message, error.code)
    return False


def _record_sent(messages: list[Message]) -> None:
    """SIDs written a few at a time: a worker dying before this line leaves its texts
    "sending", and they are looked up at the provider before any new attempt. Delivery
    reports that came before their SID was written are applied once it is committed."""
    if messages:
        Message.objects.bulk_update(messages, ["status", "sid", "sent_at"])
        sids = [m.sid for m in messages if m.sid]
        transaction.on_commit(lambda: pending_reports_apply(sids=sids))


def _finish_if_done(blast_id: int) -> None:
    waiting = Message.objects.filter(
        blast_id=blast_id, status__in=[Message.Status.QUEUED, Message.Status.SENDING]
    )
    if not waiting.exists():
        Blast.objects.filter(pk=blast_id, status=Blast.Status.SENDING, fanned_out=True).update(
            status=Blast.Status.DONE, finished_at=timezone.now()
        )


def _refused(message: Message, code: str) -> None:
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, error_code=code)
    provider_says(contact_id=message.contact_id, number=message.to, code=code)


# The tasks that run the sending, here with the work they queue again (actions.sms.tasks
# gathers them for Celery): thin, take ids, safe to run twice (rows are claimed before any
# sending).


def _later(task, args: tuple, **when) -> None:
    """Run `task` again at `eta` or after `countdown`. Run eagerly (the embedded defaults)
    a task cannot wait: its rows stay queued and the next recovery picks them up."""
    if not task.app.conf.task_always_eager:
        task.apply_async(args, **when)


@shared_task(name="sms.fan_out", acks_late=True)
def blast_fan_out_task(blast_id: int) -> int:
    """One message row per person, then one send task per batch."""
    batches = blast_fan_out(
        blast_id=blast_id, on_batch=lambda ids: blast_send_batch_task.delay(blast_id, ids)
    )
    return sum(len(b) for b in batches)


@shared_task(name="sms.send_batch", acks_late=True)
def blast_send_batch_task(blast_id: int, message_ids: list[int]) -> dict:
    """Quiet hours: what was not sent waits in the database, and beat's recovery starts it
    at the window's end (a countdown of hours would outlast the broker's visibility
    timeout and be delivered again every hour)."""
    result = blast_send_batch(blast_id=blast_id, message_ids=message_ids)
    if result.retry_later:  # the provider was busy or down: again in a minute
        _later(blast_send_batch_task, (blast_id, result.retry_later), countdown=60)
    return {
        "sent": result.sent,
        "failed": result.failed,
        "suppressed": result.suppressed,
        "held": result.held,
    }


@shared_task(name="sms.send_message", acks_late=True)
def conversation_message_send_task(message_id: int) -> str:
    """One text of a conversation, written or tapped by a volunteer. In quiet hours it
    waits in the database, and beat's recovery sends it when the window ends."""
    result = conversation_message_send(message_id=message_id)
    if result.outcome == Outcome.RETRY:
        _later(conversation_message_send_task, (message_id,), countdown=60)
    return result.outcome
