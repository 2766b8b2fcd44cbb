"""Writes for emails: blasts as staff drive them (compose a draft, start it now or later,
pause, resume, cancel), and leaving a blast's list (one click, no login)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.mail.rendering import email_message, merge_fields_check
from campaign.models import Territory, User
from campaign.ownership import ensure_may_change, owner_checked
from contacts.models import Channel, ConsentStatus, Contact, Segment, Source
from contacts.segments.selectors import segments_visible_to
from contacts.services import consent_set

from .models import Blast, Message, Sender
from .selectors import blast_recipients
from .sending import blast_footer, person_values, queue_batches, queue_fan_out


@transaction.atomic
def blast_save(
    *,
    actor: User,
    name: str,
    segment: Segment,
    sender: Sender,
    subject: str,
    body: str,
    preheader: str = "",
    track_clicks: bool = False,
    territory: Territory | None = None,
    blast: Blast | None = None,
) -> Blast:
    """Write a draft (new, or one `actor` may change), owned by `territory`, from a verified
    sender, to a segment `actor` may use; its merge fields are checked now."""
    if blast is not None:
        ensure_may_change(actor, blast)
        if blast.status != Blast.Status.DRAFT:
            raise ApplicationError(_("Only a draft can be changed."))
    owner_checked(actor, territory)
    if not sender.is_verified:
        raise ApplicationError(_("Choose a verified sender."), field="sender")
    if not segments_visible_to(actor).filter(pk=segment.pk).exists():
        raise ApplicationError(_("Choose one of your segments."), field="segment")
    merge_fields_check(subject, preheader, body)
    blast = blast or Blast(created_by=actor)
    blast.name, blast.segment, blast.sender, blast.territory = name, segment, sender, territory
    blast.subject, blast.preheader, blast.body = subject, preheader, body
    blast.track_clicks = track_clicks
    blast.save()
    return blast


@transaction.atomic
def blast_start(*, blast: Blast, actor: User, at: datetime | None = None) -> Blast:
    """Send now, or at `at`. The emails go to the segment's people `actor` may see, as they
    are when the messages are written: `actor` is recorded as the starter and the fan-out
    computes the recipients with them."""
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
        status=Blast.Status.SENDING
    ):
        transaction.on_commit(lambda: queue_batches(blast.pk))
    blast.refresh_from_db()
    return blast


@transaction.atomic
def blast_cancel(*, blast: Blast, actor: User) -> Blast:
    """Stop what is not sent yet; emails already with the provider stay sent."""
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


def blast_send_test(*, blast: Blast, actor: User) -> str:
    """The email as a sample recipient gets it, to the sender's own address (the sample is
    one of the sender's own contacts, never someone outside their scope). Returns the
    address it went to."""
    ensure_may_change(actor, blast)
    if not actor.email:
        raise ApplicationError(_("Your account has no email address to send the test to."))
    sample = blast_recipients(blast, user=actor).first()
    sender = blast.sender
    email_message(
        to=[actor.email],
        subject=_("[TEST] ") + blast.subject,
        body=blast.body,
        preheader=blast.preheader,
        person=person_values(sample),
        footer=blast_footer(blast, unsubscribe=""),
        from_email=f"{sender.name} <{sender.address}>",
        reply_to=[sender.reply_to] if sender.reply_to else [],
    ).send()
    return actor.email


def email_consent_withdraw(*, contact: Contact, wording: str, source_detail: str) -> None:
    """The person says no more email (an unsubscribe, a complaint): their email consent is
    withdrawn with an event, unless it already is."""
    held = contact.consents.filter(channel=Channel.EMAIL).first()
    if held is not None and held.status == ConsentStatus.WITHDRAWN:
        return
    consent_set(
        contact=contact,
        channel=Channel.EMAIL,
        status=ConsentStatus.WITHDRAWN,
        source=Source.EMAIL,
        actor=None,
        wording=wording,
        source_detail=source_detail,
    )


@transaction.atomic
def email_unsubscribe(*, message: Message) -> bool:
    """The person this message went to withdraws their email consent, with an event naming
    the blast. Acts on that message's person alone (its token is the only authority).
    Returns False when it had already been done (a second click, a mail scanner's POST)."""
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("blast", "contact")
        .get(pk=message.pk)
    )
    if message.unsubscribed_at is not None:
        return False
    message.unsubscribed_at = timezone.now()
    message.save(update_fields=["unsubscribed_at", "updated_at"])
    if message.contact is not None:
        email_consent_withdraw(
            contact=message.contact,
            wording=_("Unsubscribe link of the email “%(subject)s”")
            % {"subject": message.blast.subject},
            source_detail=message.blast.name,
        )
    return True
