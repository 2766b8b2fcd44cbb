"""Blasts as staff drive them: compose a draft, start it now or later, pause, resume,
cancel, and send a test to one's own phone."""

from datetime import datetime
from datetime import time as clock

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import Territory, User
from campaign.ownership import ensure_may_change, owner_checked
from contacts.models import Segment
from contacts.normalize import phone_read

from .. import text
from ..backends import SendError, sms_backend
from ..models import Blast, Message
from ..selectors import blast_recipients
from .quiet_hours import default_quiet_hours
from .sending import queue_batches, queue_fan_out, rendered
from .status import pending_reports_apply


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
        transaction.on_commit(lambda: queue_fan_out(blast.pk))
    return blast


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
        status=Blast.Status.SENDING,
        resume_at=None,  # its batches wait again if still quiet
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
    pending_reports_apply(sids=[sent.sid])  # a report that came before the answer
    return message
