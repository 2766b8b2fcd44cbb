"""Writes for texts: compose and start a blast, send each message at most once, take
delivery reports and replies (STOP ends texting at once)."""

import asyncio
import logging
import queue
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.counters import book
from campaign.exceptions import ApplicationError
from campaign.models import Territory, User
from campaign.ownership import ensure_may_change, owner_checked
from contacts import services as contact_services
from contacts.funnel.services import stage_reach
from contacts.funnel.stages import Stage
from contacts.models import Contact, ContactPhone, Segment, Source

from . import text
from .backends import SendError, SentMessage, sms_backend
from .models import Blast, Inbound, Message, OptOut, P2PCampaign
from .selectors import blast_recipients, still_reachable

logger = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")
BATCH = 250  # messages per send task
RECORD_EVERY = 50  # SIDs written in one statement
FAN_OUT_CHUNK = 2000
RETRIES = 4  # per message in a task, for rate limits and outages, with backoff and jitter


def default_quiet_hours() -> tuple[clock, clock]:
    if not settings.SMS_QUIET_HOURS:
        return clock(0, 0), clock(0, 0)
    start, end = settings.SMS_QUIET_HOURS.split("-")
    return clock.fromisoformat(start), clock.fromisoformat(end)


def quiet_until(blast: Blast | P2PCampaign, now: datetime) -> datetime | None:
    """The end of the blast's (or texting campaign's) quiet hours if `now` falls in them (Europe/Paris), else None."""
    start, end = blast.quiet_start, blast.quiet_end
    if start == end:
        return None
    local = now.astimezone(PARIS)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=PARIS)


# Composing


@transaction.atomic
def blast_save(
    *,
    actor: User,
    name: str,
    segment: Segment,
    body: str,
    territory: Territory | None = None,
    quiet_start: clock | None = None,
    quiet_end: clock | None = None,
    blast: Blast | None = None,
) -> Blast:
    """Write a draft (new, or one `actor` may change), owned by `territory`."""
    if blast is not None:
        ensure_may_change(actor, blast)
    owner_checked(actor, territory)
    unknown = text.unknown_fields(body)
    if unknown:
        raise ApplicationError(
            _("Unknown merge field: %(fields)s")
            % {"fields": ", ".join(f"{{{f}}}" for f in unknown)}
        )
    if blast is not None and blast.status != Blast.Status.DRAFT:
        raise ApplicationError(_("Only a draft can be changed."))
    default_start, default_end = default_quiet_hours()
    blast = blast or Blast(created_by=actor)
    blast.name, blast.segment, blast.body, blast.territory = name, segment, body, territory
    blast.quiet_start = quiet_start if quiet_start is not None else default_start
    blast.quiet_end = quiet_end if quiet_end is not None else default_end
    blast.save()
    return blast


def rendered(blast: Blast, contact: Contact | dict) -> str:
    values = contact if isinstance(contact, dict) else contact.__dict__
    return text.render(blast.body, values, opt_out_line=settings.SMS_OPT_OUT_LINE)


@transaction.atomic
def blast_start(*, blast: Blast, actor: User, at: datetime | None = None) -> Blast:
    """Send now, or at `at` (beat starts scheduled blasts when their time comes). The texts
    go to the segment's people `actor` may see, as they are when the messages are written:
    `actor` is recorded as the starter and the fan-out computes the recipients with them."""
    ensure_may_change(actor, blast)
    now = timezone.now()
    later = at is not None and at > now
    if not Blast.objects.filter(pk=blast.pk, status=Blast.Status.DRAFT).update(
        status=Blast.Status.SCHEDULED, scheduled_at=at if later else now, started_by=actor
    ):
        raise ApplicationError(_("This blast has already been started."))
    blast.refresh_from_db()
    if not later:
        transaction.on_commit(lambda: _queue_fan_out(blast.pk))
    return blast


def _queue_fan_out(blast_id: int) -> None:
    from .tasks import blast_fan_out_task

    blast_fan_out_task.delay(blast_id)


@transaction.atomic
def blast_pause(*, blast: Blast, actor: User) -> Blast:
    ensure_may_change(actor, blast)
    Blast.objects.filter(pk=blast.pk, status=Blast.Status.SENDING).update(
        status=Blast.Status.PAUSED
    )
    blast.refresh_from_db()
    return blast


@transaction.atomic
def blast_resume(*, blast: Blast, actor: User) -> Blast:
    ensure_may_change(actor, blast)
    if Blast.objects.filter(pk=blast.pk, status=Blast.Status.PAUSED).update(
        status=Blast.Status.SENDING
    ):
        transaction.on_commit(lambda: queue_batches(blast.pk))
    blast.refresh_from_db()
    return blast


@transaction.atomic
def blast_cancel(*, blast: Blast, actor: User) -> Blast:
    """Stop what is not sent yet; texts already with the provider stay sent."""
    ensure_may_change(actor, blast)
    stoppable = [
        Blast.Status.DRAFT,
        Blast.Status.SCHEDULED,
        Blast.Status.SENDING,
        Blast.Status.PAUSED,
    ]
    if Blast.objects.filter(pk=blast.pk, status__in=stoppable).update(
        status=Blast.Status.CANCELLED, finished_at=timezone.now()
    ):
        Message.objects.filter(blast=blast, status=Message.Status.QUEUED).update(
            status=Message.Status.CANCELLED
        )
    blast.refresh_from_db()
    return blast


def blast_send_test(*, blast: Blast, actor: User, to: str) -> Message:
    """The text as a sample contact would get it, to the sender's own phone: the sample
    is one of the sender's own contacts, never someone outside their scope."""
    from contacts.normalize import phone_read

    ensure_may_change(actor, blast)
    phone = phone_read(to)
    if not phone.is_valid:
        raise ApplicationError(_("This phone number cannot be read. Try 06 12 34 56 78."))
    sample = blast_recipients(blast, user=actor).first()
    body = _("[TEST] ") + rendered(blast, sample or {"first_name": actor.first_name})
    message = Message.objects.create(
        to=phone.e164, body=body, segments=text.measure(body).segments, status="sending"
    )
    try:
        sent = sms_backend().send(to=phone.e164, body=body)
    except SendError as error:
        Message.objects.filter(pk=message.pk).update(status="failed", error_code=error.code)
        raise ApplicationError(
            _("The provider refused the test: %(code)s") % {"code": error.code}
        ) from error
    Message.objects.filter(pk=message.pk).update(
        status="sent", sid=sent.sid, sent_at=timezone.now()
    )
    return message


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
    rows = blast_recipients(blast, user=blast.started_by).values(
        "pk", "first_name", "last_name", "commune", "mobile"
    )
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
    from .tasks import blast_send_batch_task

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
    resume_at: datetime | None = None  # quiet hours: the whole batch waits until then
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


async def _deliver(
    sender, message: Message, *, look_up_first: bool, callback: str
) -> tuple[SentMessage, datetime]:
    """On the sending loop: no database here, only the provider and the shared schedule.

    A call whose answer was lost (a timeout, a cut connection) may have reached the
    provider: the text is looked up there before it is sent again, or given up."""
    for attempt in range(RETRIES + 1):
        if look_up_first and (found := await _look_up(message)):
            return found
        if attempt and sms_backend().limited:  # a retry takes a slot of its own
            wait = book(SENDER_KEY, message.segments, per_second=settings.SMS_SEGMENTS_PER_SECOND)
            await asyncio.sleep(wait)
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
    since = message.claimed_at - timedelta(minutes=5)
    find = sms_backend().find_sent
    sid = await asyncio.to_thread(find, to=message.to, body=message.body, since=since)
    return (SentMessage(sid=sid, status="sent"), timezone.now()) if sid else None


async def _send_all(
    to_send: list[Message], stale: set[int], callback: str, results: queue.SimpleQueue
) -> None:
    """Send on one event loop: each text waits for the slot booked for it in the sender's
    schedule (a chunk at a time, never more than a second ahead), at most
    SMS_CONCURRENCY calls in flight. Each outcome goes to `results` as it comes."""
    loop = asyncio.get_running_loop()
    in_flight = asyncio.Semaphore(settings.SMS_CONCURRENCY)
    per_second = settings.SMS_SEGMENTS_PER_SECOND

    async def one(sender, message: Message, not_before: float) -> None:
        await asyncio.sleep(max(0.0, not_before - loop.time()))
        async with in_flight:
            outcome: tuple[SentMessage, datetime] | Exception
            try:
                outcome = await _deliver(
                    sender, message, look_up_first=message.pk in stale, callback=callback
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
    sender's segments-per-second. Quiet hours and each person's consent are checked now,
    at the moment of sending, not when the blast was queued."""
    result = BatchResult()
    blast = Blast.objects.filter(pk=blast_id).first()
    if blast is None or blast.status != Blast.Status.SENDING:
        result.stopped = True
        return result
    now = timezone.now()
    result.resume_at = quiet_until(blast, now)
    if result.resume_at:
        return result
    claimed, stale = _claim(message_ids, now)
    allowed = still_reachable([m.pk for m in claimed])
    suppressed = [m.pk for m in claimed if m.pk not in allowed]
    Message.objects.filter(pk__in=suppressed).update(status=Message.Status.SUPPRESSED)
    result.suppressed = len(suppressed)
    to_send = [m for m in claimed if m.pk in allowed]
    for m in to_send:
        m.claimed_at = now if m.pk not in stale else m.claimed_at
    callback = settings.SITE_URL.rstrip("/") + reverse("sms:status_webhook")
    # The sending runs on an event loop in a thread of its own; this thread, which holds the
    # database connection, writes the outcomes down as they arrive.
    results: queue.SimpleQueue = queue.SimpleQueue()
    loop_thread = threading.Thread(
        target=lambda: asyncio.run(_send_all(to_send, stale, callback, results)),
        name="sms-send",
        daemon=True,
    )
    loop_thread.start()
    done: list[Message] = []
    while (item := results.get()) is not None:
        message, outcome = item
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
    _finish_if_done(blast_id)
    return result


SENDER_KEY = "sms:segments"


@dataclass
class OneResult:
    outcome: str  # sent, failed, suppressed, retry, quiet, taken (claimed elsewhere or gone)
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
    if message is None:
        return OneResult("taken")
    now = timezone.now()
    resume_at = quiet_until(message.conversation.campaign, now)
    if resume_at:
        return OneResult("quiet", resume_at)
    claimed, stale = _claim([message_id], now)
    if not claimed:
        return OneResult("taken")
    message = claimed[0]
    if not still_reachable([message.pk]):
        Message.objects.filter(pk=message.pk).update(status=Message.Status.SUPPRESSED)
        return OneResult("suppressed")
    if not stale:
        message.claimed_at = now
    callback = settings.SITE_URL.rstrip("/") + reverse("sms:status_webhook")

    async def deliver() -> tuple[SentMessage, datetime]:
        backend = sms_backend()
        async with backend.sender() as sender:
            if backend.limited:
                per_second = settings.SMS_SEGMENTS_PER_SECOND
                await asyncio.sleep(book(SENDER_KEY, message.segments, per_second=per_second))
            return await _deliver(sender, message, look_up_first=bool(stale), callback=callback)

    try:
        sent, sent_at = asyncio.run(deliver())
    except SendError as error:
        return OneResult("retry" if _try_again(message, error) else "failed")
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, sid=sent.sid, sent_at=sent_at
    )
    texter = User.objects.filter(pk=message.sent_by_id, contact__isnull=False).first()
    if texter is not None:  # funnel: a volunteer who texts is an activist
        stage_reach(
            contact_id=texter.contact_id,
            stage=Stage.ACTIVIST,
            at=sent_at,
            why=_("Sent texts: %(campaign)s") % {"campaign": message.conversation.campaign.name},
        )
    return OneResult("sent")


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
    "sending", and they are looked up at the provider before any new attempt."""
    if messages:
        Message.objects.bulk_update(messages, ["status", "sid", "sent_at"])


def _finish_if_done(blast_id: int) -> None:
    waiting = Message.objects.filter(
        blast_id=blast_id, status__in=[Message.Status.QUEUED, Message.Status.SENDING]
    )
    if not waiting.exists():
        Blast.objects.filter(pk=blast_id, status=Blast.Status.SENDING, fanned_out=True).update(
            status=Blast.Status.DONE, finished_at=timezone.now()
        )


# What the provider's refusals mean for the person (Twilio's error codes).
CONSENT_OFF = {"21610", "30004"}  # unsubscribed at the carrier; blocked
NUMBER_BAD = {
    "21211": "invalid number",
    "21614": "not a mobile number",
    "30005": "unknown number",
    "30006": "landline or unreachable carrier",
}


def _refused(message: Message, code: str) -> None:
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, error_code=code)
    _provider_says(contact_id=message.contact_id, number=message.to, code=code)


def _provider_says(*, contact_id: int | None, number: str, code: str) -> None:
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


# Delivery reports and replies (webhooks)

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
        _provider_says(contact_id=message.contact_id, number=message.to, code=error_code)
    return True


OPT_OUT_REPLY = "Vous ne recevrez plus de SMS de notre part. START pour vous réinscrire."
OPT_IN_REPLY = "C'est noté : vous recevrez à nouveau nos SMS. STOP pour arrêter."


def _sender(number: str) -> Contact | None:
    phone = ContactPhone.objects.filter(e164=number).order_by("contact_id").first()
    return Contact.objects.filter(pk=phone.contact_id).first() if phone else None


@transaction.atomic
def inbound_receive(
    *, sid: str, from_number: str, to_number: str, body: str
) -> tuple[Inbound, str]:
    """A text received. STOP and its variants end texting to that person at once (consent
    withdrawn, with the text as the wording), START/UNSTOP resume it; a STOP inside a longer
    sentence is kept for a human to read. Returns the reply to send back ("" for none).
    The same SID twice (a retried webhook) changes nothing."""
    existing = Inbound.objects.filter(sid=sid).first()
    if existing is not None:
        return existing, ""
    kind = text.classify(body)
    contact = _sender(from_number)
    try:
        with transaction.atomic():
            inbound = Inbound.objects.create(
                sid=sid,
                from_number=from_number[:20],
                to_number=to_number[:20],
                body=body[:1600],
                kind=kind,
                contact=contact,
            )
    except IntegrityError:  # the same report, at the same instant
        return Inbound.objects.get(sid=sid), ""
    reply = ""
    if kind == Inbound.Kind.OPT_OUT:  # the number, whoever it belongs to now or later
        OptOut.objects.get_or_create(number=from_number[:20], defaults={"source": _("Reply STOP")})
    elif kind == Inbound.Kind.OPT_IN:
        OptOut.objects.filter(number=from_number[:20]).delete()
    if kind in (Inbound.Kind.OPT_OUT, Inbound.Kind.OPT_IN):
        reply = OPT_OUT_REPLY if kind == Inbound.Kind.OPT_OUT else OPT_IN_REPLY
        if contact is not None:
            contact_services.consent_set(
                contact=contact,
                channel="sms",
                status="withdrawn" if kind == Inbound.Kind.OPT_OUT else "granted",
                source=Source.SMS,
                source_detail=_("Reply by text"),
                wording=body[:500],
                actor=None,
            )
    if contact is not None:
        Contact.objects.filter(pk=contact.pk).update(last_activity_at=timezone.now())
        if kind == Inbound.Kind.REPLY:
            stage_reach(
                contact_id=contact.pk,
                stage=Stage.ENGAGED,
                at=inbound.received_at,
                why=_("Replied to a text"),
            )
    from .p2p.services import conversation_received

    conversation_received(inbound=inbound)
    return inbound, reply


# Recovery (beat, every minute)


def recover() -> dict:
    """Start scheduled blasts whose time has come; send again the batches of blasts still
    sending whose queued or stale messages no task is moving (a task lost, a worker dead)."""
    now = timezone.now()
    due = list(
        Blast.objects.filter(status=Blast.Status.SCHEDULED, scheduled_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for blast_id in due:
        _queue_fan_out(blast_id)
    stale_before = now - timedelta(seconds=settings.SMS_CLAIM_STALE_SECONDS)
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
        _queue_fan_out(blast_id)
    for blast_id in (stuck | idle) - unwritten:
        queue_batches(blast_id, stale_before=stale_before)
    return {
        "started": len(due),
        "resumed": len(stuck | idle),
        "conversation_texts": _recover_conversation_texts(now, stale_before),
    }


def _recover_conversation_texts(now: datetime, stale_before: datetime) -> int:
    """Volunteers' texts that waited out quiet hours, or whose task or worker was lost; a
    claim gone stale is looked up at the provider before anything is sent again."""
    from .tasks import conversation_message_send_task

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


# Opt-outs gathered elsewhere


@dataclass
class OptOutReport:
    numbers: int = 0  # distinct readable numbers in the file
    added: int | None = 0  # not on the list before (None: not the importer's to know)
    contacts: int = 0  # contacts (in the importer's scope) whose SMS consent this withdrew
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


PHONE_HEADERS = ("telephone", "tel", "phone", "mobile", "portable", "numero", "msisdn", "number")


def _phone_column(headers: list[str]) -> str:
    from contacts.normalize import search_key

    for header in headers:
        if any(word in search_key(header).split() for word in PHONE_HEADERS):
            return header
    return headers[0]


def optouts_import(*, actor: User, path: str, source: str) -> OptOutReport:
    """A list of numbers that said STOP elsewhere (the 36180 service's export, a CSV): each
    goes on the opt-out list (no bulk text goes to it, whoever it belongs to), and the
    contacts with that number that `actor` may see lose SMS consent, with an event naming
    the list. Contacts outside the actor's scope are neither changed nor counted, and only
    an admin learns which numbers were already on the list. Unreadable lines are reported
    with their number."""
    from contacts.imports.reader import iter_table
    from contacts.normalize import phone_read
    from contacts.scope import contacts_visible_to

    report = OptOutReport()
    numbers: set[str] = set()
    for table in iter_table(path):
        report.rejected += table.bad_lines
        column = _phone_column(table.headers)
        for line, raw in zip(table.lines, table.columns[column], strict=True):
            digits = "".join(c for c in raw if c.isdigit() or c == "+")
            if digits.startswith("33") and len(digits) == 11:  # 336…: the short-code services' form
                digits = "+" + digits
            phone = phone_read(digits or raw)
            if phone.is_valid:
                numbers.add(phone.e164)
            elif raw.strip():
                report.rejected.append((line, _("unreadable number: %(raw)s") % {"raw": raw[:40]}))
    report.numbers = len(numbers)
    with transaction.atomic():
        existing = set(OptOut.objects.filter(number__in=numbers).values_list("number", flat=True))
        OptOut.objects.bulk_create(
            [OptOut(number=n, source=source[:200]) for n in sorted(numbers - existing)],
            ignore_conflicts=True,
        )
        report.added = len(numbers - existing) if actor.is_admin else None
        contact_ids = set(
            ContactPhone.objects.filter(
                e164__in=numbers, contact__in=contacts_visible_to(actor).values("pk")
            ).values_list("contact_id", flat=True)
        )
        from contacts.models import Consent

        granted = set(
            Consent.objects.filter(
                contact_id__in=contact_ids, channel="sms", status="granted"
            ).values_list("contact_id", flat=True)
        )
        for contact in Contact.objects.filter(pk__in=granted):
            contact_services.consent_set(
                contact=contact,
                channel="sms",
                status="withdrawn",
                source=Source.SMS,
                source_detail=source[:255],
                actor=actor,
            )
        report.contacts = len(granted)
    report.rejected.sort()
    return report
