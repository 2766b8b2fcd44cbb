"""Writes for peer-to-peer texting: a campaign and its scripts, conversations handed out in
batches, each text sent by a volunteer's own tap, replies, survey answers, tags, opt-outs."""

from collections.abc import Sequence
from datetime import datetime
from datetime import time as clock

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from campaign.accounts.names import display_name
from campaign.exceptions import ApplicationError
from campaign.models import Territory, User
from campaign.ordered import ordered_rows_sync
from campaign.ownership import ensure_may_change, may_change, owner_checked
from contacts import services as contact_services
from contacts.models import Contact, Segment, Source, Tag
from contacts.scope import contacts_visible_to
from contacts.segments.selectors import segment_contacts

from .. import text
from ..models import (
    CannedAnswer,
    Conversation,
    Inbound,
    Message,
    OptOut,
    P2PCampaign,
    SurveyAnswer,
    SurveyQuestion,
)
from ..selectors import sms_reachable
from ..services.quiet_hours import default_quiet_hours, quiet_until
from ..services.sending import conversation_message_send_task
from .selectors import conversations_for_staff

WRITE_CHUNK = 2000
MAX_REPLY = 1000  # characters: a few segments, not an essay


def _quiet_hours_or_default(start: clock | None, end: clock | None) -> tuple[clock, clock]:
    default_start, default_end = default_quiet_hours()
    return (
        start if start is not None else default_start,
        end if end is not None else default_end,
    )


def _check_script(script: str) -> None:
    unknown = text.unknown_fields(script)
    if unknown:
        raise ApplicationError(
            _("Unknown merge field: %(fields)s")
            % {"fields": ", ".join(f"{{{f}}}" for f in unknown)}
        )


@transaction.atomic
def p2p_campaign_save(
    *,
    actor: User,
    name: str,
    segment: Segment,
    script: str,
    territory: Territory | None = None,
    tags: Sequence[Tag] = (),
    canned: Sequence[dict] = (),
    questions: Sequence[dict] = (),
    batch_size: int = 50,
    volunteers_ask_for_more: bool = True,
    quiet_start: clock | None = None,
    quiet_end: clock | None = None,
    campaign: P2PCampaign | None = None,
) -> P2PCampaign:
    """Create or change a texting campaign. `canned` and `questions` are lists of dicts
    ({"id"?, "title"/"text", "body"/"choices", "delete"?}). The opening text and the segment
    are fixed once the campaign has started; answers, questions and tags may still grow.
    Owned by `territory` (one of an organizer's own; empty, the whole campaign's: admins)."""
    if campaign is not None:
        ensure_may_change(actor, campaign)
    owner_checked(actor, territory)
    _check_script(script)
    for item in canned:
        _check_script(item.get("body", ""))
    started = campaign is not None and campaign.status != P2PCampaign.Status.DRAFT
    if started and (script != campaign.script or segment.pk != campaign.segment_id):
        raise ApplicationError(_("The opening text and the segment cannot change once started."))
    if campaign is not None and campaign.status == P2PCampaign.Status.CLOSED:
        raise ApplicationError(_("This campaign is closed."))
    campaign = campaign or P2PCampaign(created_by=actor)
    campaign.name, campaign.segment, campaign.script = name, segment, script
    campaign.territory = territory
    campaign.batch_size = max(1, min(int(batch_size), 1000))
    campaign.volunteers_ask_for_more = volunteers_ask_for_more
    campaign.quiet_start, campaign.quiet_end = _quiet_hours_or_default(quiet_start, quiet_end)
    campaign.save()
    campaign.tags.set(tags)
    parent = {"campaign": campaign}
    ordered_rows_sync(model=CannedAnswer, parent=parent, items=canned, fields=("title", "body"))
    ordered_rows_sync(
        model=SurveyQuestion,
        parent=parent,
        items=questions,
        fields=("text", "choices"),
        answered=lambda question: SurveyAnswer.objects.filter(question=question).exists(),
    )
    return campaign


@transaction.atomic
def p2p_campaign_start(*, campaign: P2PCampaign, actor: User) -> P2PCampaign:
    """Under way: a conversation is written for each person of the segment who may be
    texted and whom `actor` may see (the starter's scope, not the author's), then organizers
    hand them out in batches."""
    ensure_may_change(actor, campaign)
    if not P2PCampaign.objects.filter(pk=campaign.pk, status=P2PCampaign.Status.DRAFT).update(
        status=P2PCampaign.Status.ACTIVE, started_at=timezone.now(), started_by=actor
    ):
        raise ApplicationError(_("This campaign has already been started."))
    transaction.on_commit(lambda: _queue_write(campaign.pk))
    campaign.refresh_from_db()
    return campaign


def _queue_write(campaign_id: int) -> None:
    p2p_fan_out_task.delay(campaign_id)


@transaction.atomic
def p2p_campaign_close(*, campaign: P2PCampaign, actor: User) -> P2PCampaign:
    """No more texts: what is not sent yet stays unsent; the conversations stay readable."""
    ensure_may_change(actor, campaign)
    P2PCampaign.objects.filter(pk=campaign.pk).exclude(status=P2PCampaign.Status.CLOSED).update(
        status=P2PCampaign.Status.CLOSED, closed_at=timezone.now()
    )
    Message.objects.filter(conversation__campaign=campaign, status=Message.Status.QUEUED).update(
        status=Message.Status.CANCELLED
    )
    campaign.refresh_from_db()
    return campaign


def conversations_write(*, campaign_id: int) -> int:
    """One conversation per person of the segment who may be texted (one per number too),
    among the people whoever started the campaign may see. Safe to run twice: existing
    conversations are kept. Returns how many there are."""
    campaign = P2PCampaign.objects.select_related("segment", "started_by").get(pk=campaign_id)
    if campaign.started_by is None:
        return 0
    people = sms_reachable(segment_contacts(user=campaign.started_by, segment=campaign.segment))
    numbers: set[str] = set()
    chunk: list[Conversation] = []
    for pk, mobile in people.order_by("pk").values_list("pk", "mobile").iterator(WRITE_CHUNK):
        if mobile in numbers:
            continue
        numbers.add(mobile)
        chunk.append(Conversation(campaign_id=campaign_id, contact_id=pk, to=mobile))
        if len(chunk) >= WRITE_CHUNK:
            Conversation.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    Conversation.objects.bulk_create(chunk, ignore_conflicts=True)
    P2PCampaign.objects.filter(pk=campaign_id).update(conversations_written=True)
    return Conversation.objects.filter(campaign_id=campaign_id).count()


# Handing out


def _active(campaign: P2PCampaign) -> None:
    if campaign.status != P2PCampaign.Status.ACTIVE:
        raise ApplicationError(_("This campaign is not under way."))


@transaction.atomic
def conversations_assign(*, campaign: P2PCampaign, volunteer: User, count: int, actor: User) -> int:
    """Give `volunteer` up to `count` people nobody holds yet. The campaign's organizers and
    the admins do this; anyone else may only ask for a batch of their own, when the campaign
    allows it and theirs are all sent. Staff hand out only people they may see themselves
    (an organizer never hands anyone, themselves included, a person outside their
    territories); a volunteer's batch comes from the pool the starter's scope wrote."""
    _active(campaign)
    if not volunteer.is_active:
        raise ApplicationError(_("This account is not active."))
    if not (actor.can_use_crm and may_change(actor, campaign)):
        if actor.pk != volunteer.pk or not campaign.volunteers_ask_for_more:
            raise PermissionDenied
        if Conversation.objects.filter(
            campaign=campaign, volunteer=volunteer, status=Conversation.Status.NEW
        ).exists():
            raise ApplicationError(_("Send the texts you have first."))
        count = campaign.batch_size
    pool = Conversation.objects.filter(
        campaign=campaign, volunteer__isnull=True, status=Conversation.Status.NEW
    )
    if actor.can_use_crm and not actor.is_admin:  # an admin sees everyone: no filter to run
        pool = pool.filter(contact__in=contacts_visible_to(actor).values("pk"))
    free = (
        pool.select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: max(0, count)]
    )
    return Conversation.objects.filter(pk__in=list(free)).update(
        volunteer=volunteer, assigned_at=timezone.now()
    )


@transaction.atomic
def conversations_reassign(
    *, conversation_ids: list[int], volunteer: User | None, actor: User
) -> int:
    """Hand these conversations to another volunteer (or back to the pool, with None). Only
    conversations of campaigns `actor` may change, with people `actor` may see, move."""
    if volunteer is not None and not volunteer.is_active:
        raise ApplicationError(_("This account is not active."))
    mine = conversations_for_staff(actor).filter(pk__in=conversation_ids)
    return Conversation.objects.filter(pk__in=mine.values("pk")).update(
        volunteer=volunteer, assigned_at=timezone.now() if volunteer else None
    )


# Texting


def _ensure_holder(conversation: Conversation, actor: User) -> None:
    """The volunteer it is assigned to, or staff who may change the campaign and see the
    person."""
    if conversation.volunteer_id == actor.pk:
        return
    if (
        actor.can_use_crm
        and may_change(actor, conversation.campaign)
        and contacts_visible_to(actor).filter(pk=conversation.contact_id).exists()
    ):
        return
    raise PermissionDenied


def _ensure_may_text(conversation: Conversation, now: datetime) -> None:
    campaign = conversation.campaign
    _active(campaign)
    if conversation.status == Conversation.Status.OPTED_OUT:
        raise ApplicationError(_("This person opted out: no more texts."))
    notice = quiet_notice(campaign, now)
    if notice:
        raise ApplicationError(notice)


def quiet_notice(campaign: P2PCampaign, now: datetime) -> str:
    """What to tell a volunteer during the campaign's quiet hours ("" outside them)."""
    resume_at = quiet_until(campaign, now)
    if resume_at is None:
        return ""
    return _("Quiet hours: texts can be sent again from %(time)s.") % {
        "time": time_format(timezone.localtime(resume_at).time(), "H:i")
    }


def _queue_send(message_id: int) -> None:
    conversation_message_send_task.delay(message_id)


def merge_values(contact: Contact) -> dict[str, str]:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "commune": contact.commune,
    }


def opening_text(conversation: Conversation) -> str:
    """The opening text as this person gets it, the opt-out line added."""
    return text.render(
        conversation.campaign.script,
        merge_values(conversation.contact),
        opt_out_line=settings.SMS_OPT_OUT_LINE,
    )


@transaction.atomic
def conversation_open(*, conversation: Conversation, actor: User) -> Message | None:
    """The opening text, sent by the volunteer's tap. Returns None if it had been sent
    already (a double tap, a form sent again): one opening per conversation, ever."""
    _ensure_holder(conversation, actor)
    now = timezone.now()
    conversation = _locked(conversation)
    if conversation.status != Conversation.Status.NEW:
        return None
    _ensure_may_text(conversation, now)
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Conversation.Status.OPEN, last_message_at=now
    )
    body = opening_text(conversation)
    message = _text(conversation, actor=actor, body=body, key=f"open-{conversation.pk}")
    transaction.on_commit(lambda: _queue_send(message.pk))
    return message


def conversation_reply(*, conversation: Conversation, actor: User, body: str, key: str) -> Message:
    """An answer, typed or canned. `key` comes with the form: the same form sent twice (a
    bad connection, a double tap) sends one text."""
    _ensure_holder(conversation, actor)
    existing = Message.objects.filter(key=key[:64]).first() if key else None
    if existing is not None:
        return existing
    now = timezone.now()
    conversation = _locked(conversation)
    _ensure_may_text(conversation, now)
    if conversation.status == Conversation.Status.NEW:
        raise ApplicationError(_("Send the opening text first."))
    body = text.render(body, merge_values(conversation.contact))
    if not body:
        raise ApplicationError(_("Write something first."), field="body")
    if len(body) > MAX_REPLY:
        raise ApplicationError(
            _("Keep it under %(max)s characters.") % {"max": MAX_REPLY}, field="body"
        )
    try:
        with transaction.atomic():
            message = _text(conversation, actor=actor, body=body, key=key[:64] or None)
    except IntegrityError:  # the same form, at the same instant
        return Message.objects.get(key=key[:64])
    Conversation.objects.filter(pk=conversation.pk).update(needs_reply=False, last_message_at=now)
    transaction.on_commit(lambda: _queue_send(message.pk))
    return message


def _text(conversation: Conversation, *, actor: User, body: str, key: str | None) -> Message:
    """A text of the conversation, queued: its send task claims it."""
    return Message.objects.create(
        conversation=conversation,
        contact_id=conversation.contact_id,
        to=conversation.to,
        body=body,
        segments=text.measure(body).segments,
        key=key,
        sent_by=actor,
    )


def _locked(conversation: Conversation) -> Conversation:
    """The conversation as it is now, its row held until the transaction ends."""
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("campaign", "contact")
        .get(pk=conversation.pk)
    )


@transaction.atomic
def conversation_opt_out(*, conversation: Conversation, actor: User) -> Conversation:
    """The person asked to stop (in their own words): no more texts of any kind, at once."""
    _ensure_holder(conversation, actor)
    conversation = _locked(conversation)
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Conversation.Status.OPTED_OUT, needs_reply=False
    )
    Message.objects.filter(conversation=conversation, status=Message.Status.QUEUED).update(
        status=Message.Status.CANCELLED
    )
    who = display_name(actor)
    OptOut.objects.get_or_create(
        number=conversation.to, defaults={"source": _("Conversation, by %(who)s") % {"who": who}}
    )
    contact_services.consent_set(
        contact=conversation.contact,
        channel="sms",
        status="withdrawn",
        source=Source.SMS,
        source_detail=_("Texting campaign “%(name)s”") % {"name": conversation.campaign.name},
        actor=actor,
    )
    conversation.refresh_from_db()
    return conversation


@transaction.atomic
def conversation_record(
    *, conversation: Conversation, actor: User, answers: dict[int, str], tags: list[str]
) -> None:
    """Survey answers (an empty answer clears one) and the campaign's tags, as ticked."""
    _ensure_holder(conversation, actor)
    for question in conversation.campaign.questions.all():
        answer = answers.get(question.pk, "")
        if answer and answer not in question.choice_list:
            raise ApplicationError(_("Pick one of the answers offered."))
        if answer:
            SurveyAnswer.objects.update_or_create(
                conversation=conversation,
                question=question,
                defaults={"answer": answer, "recorded_by": actor},
            )
        else:
            SurveyAnswer.objects.filter(conversation=conversation, question=question).delete()
    offered = set(conversation.campaign.tags.values_list("name", flat=True))
    ticked = set(tags) & offered
    contact_services.contact_tag(
        contact=conversation.contact, actor=actor, add=ticked, remove=offered - ticked
    )


def conversation_received(*, inbound: Inbound) -> Conversation | None:
    """A text came in: it joins the newest conversation with that number, which now waits
    for an answer (or ends, on STOP). Called inside the reply's transaction."""
    conversation = (
        Conversation.objects.select_for_update()
        .filter(to=inbound.from_number)
        .exclude(status=Conversation.Status.NEW)
        .order_by("-last_message_at", "-pk")
        .first()
    )
    if conversation is None:
        return None
    Inbound.objects.filter(pk=inbound.pk).update(conversation=conversation)
    if inbound.kind == Inbound.Kind.OPT_OUT:
        conversation.status, conversation.needs_reply = Conversation.Status.OPTED_OUT, False
    elif inbound.kind == Inbound.Kind.OPT_IN:
        if conversation.status == Conversation.Status.OPTED_OUT:
            conversation.status = Conversation.Status.OPEN
    else:
        conversation.needs_reply = True
    conversation.last_message_at = timezone.now()
    conversation.save(update_fields=["status", "needs_reply", "last_message_at"])
    return conversation


# The task that writes a started campaign's conversations (actions.sms.tasks gathers it).


@shared_task(name="sms.p2p_fan_out", acks_late=True)
def p2p_fan_out_task(campaign_id: int) -> int:
    """One conversation per person of the campaign's segment."""
    return conversations_write(campaign_id=campaign_id)
