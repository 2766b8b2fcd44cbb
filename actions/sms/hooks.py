"""How texts plug into contacts: the timeline shows what was sent and what came back."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.timeline import TimelineEntry

from .models import Conversation, Inbound, Message, P2PCampaign, SurveyAnswer

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _about(message: Message) -> str:
    if message.blast:
        return message.blast.name
    if message.conversation:
        return message.conversation.campaign.name
    return _("message")


def timeline_entries(contact, limit: int) -> list[TimelineEntry]:
    sent = Message.objects.filter(contact=contact, sent_at__isnull=False).select_related(
        "blast", "conversation__campaign", "sent_by"
    )
    entries = [
        TimelineEntry(
            at=m.sent_at,
            kind="sms",
            title=_("Text sent: %(name)s") % {"name": _about(m)},
            detail=f"{m.get_status_display()} · {m.body[:160]}",
            actor=m.sent_by.get_username() if m.sent_by else "",
        )
        for m in sent.order_by("-sent_at")[:limit]
    ]
    answers = SurveyAnswer.objects.filter(conversation__contact=contact).select_related(
        "question", "conversation__campaign", "recorded_by"
    )
    entries += [
        TimelineEntry(
            at=a.recorded_at,
            kind="survey",
            title=_("Answer recorded: %(question)s") % {"question": a.question.text},
            detail=f"{a.answer} · {a.conversation.campaign.name}",
            actor=a.recorded_by.get_username() if a.recorded_by else "",
        )
        for a in answers.order_by("-recorded_at")[:limit]
    ]
    entries += [
        TimelineEntry(
            at=r.received_at,
            kind="sms_reply",
            title=_("Text received (%(kind)s)") % {"kind": r.get_kind_display()},
            detail=r.body[:300],
        )
        for r in Inbound.objects.filter(contact=contact)[:limit]
    ]
    return entries


def replied_choices() -> list[tuple[str, "StrOrPromise"]]:
    return [
        ("any", gettext_lazy("Ever")),
        ("30", gettext_lazy("In the last 30 days")),
        ("7", gettext_lazy("In the last 7 days")),
    ]


def replied_filter(contacts: QuerySet, params: dict) -> QuerySet:
    """Segment filter {"within": "any" | days}: contacts who answered a text (STOP aside)."""
    replies = Inbound.objects.filter(
        contact_id=OuterRef("pk"), kind__in=[Inbound.Kind.REPLY, Inbound.Kind.TO_REVIEW]
    )
    within = str(params.get("within", "any"))
    if within.isdigit():
        replies = replies.filter(received_at__gte=timezone.now() - timedelta(days=int(within)))
    return contacts.filter(Exists(replies))


def missions(user) -> list:
    """Volunteer home: texting campaigns where they hold people, and those they may join."""
    from django.urls import reverse

    from campaign.missions import MissionCard

    from .p2p.selectors import volunteer_missions

    cards = []
    held = set()
    for mission in volunteer_missions(user):
        held.add(mission.campaign.pk)
        parts = []
        if mission.to_send:
            parts.append(_("%(n)s texts to send") % {"n": mission.to_send})
        if mission.waiting:
            parts.append(_("%(n)s replies waiting") % {"n": mission.waiting})
        cards.append(
            MissionCard(
                title=mission.campaign.name,
                url=reverse("sms:mission", kwargs={"campaign_id": mission.campaign.pk}),
                summary=" · ".join(parts) or _("All sent: %(n)s people") % {"n": mission.held},
                action=_("Open"),
                urgent=bool(mission.waiting),
            )
        )
    joinable = P2PCampaign.objects.filter(
        status=P2PCampaign.Status.ACTIVE, volunteers_ask_for_more=True
    ).exclude(pk__in=held)
    for campaign in joinable.filter(
        Exists(
            Conversation.objects.filter(
                campaign=OuterRef("pk"), volunteer__isnull=True, status=Conversation.Status.NEW
            )
        )
    ):
        cards.append(
            MissionCard(
                title=campaign.name,
                url=reverse("sms:mission_more", kwargs={"campaign_id": campaign.pk}),
                summary=_("Text %(n)s people") % {"n": campaign.batch_size},
                action=_("Join"),
                post=True,
            )
        )
    return cards


def move_texts(kept_id: int, dropped_id: int) -> None:
    """On a merge: the kept contact has the other's texts and conversations. Where both had
    a conversation in the same campaign, the texts and answers join the kept one."""
    Message.objects.filter(contact_id=dropped_id).update(contact_id=kept_id)
    Inbound.objects.filter(contact_id=dropped_id).update(contact_id=kept_id)
    kept = dict(Conversation.objects.filter(contact_id=kept_id).values_list("campaign_id", "pk"))
    for conversation in Conversation.objects.filter(contact_id=dropped_id):
        into = kept.get(conversation.campaign_id)
        if into is None:
            Conversation.objects.filter(pk=conversation.pk).update(contact_id=kept_id)
            continue
        Message.objects.filter(conversation=conversation).update(conversation_id=into)
        Inbound.objects.filter(conversation=conversation).update(conversation_id=into)
        answered = SurveyAnswer.objects.filter(conversation_id=into).values("question_id")
        SurveyAnswer.objects.filter(conversation=conversation).exclude(
            question_id__in=answered
        ).update(conversation_id=into)


def erase_texts(contact_ids: list[int]) -> None:
    """On erasure: texts stay counted; what they said and the numbers go."""
    Message.objects.filter(contact_id__in=contact_ids).update(to="", body="")
    Inbound.objects.filter(contact_id__in=contact_ids).update(from_number="", body="")
    for pk in Conversation.objects.filter(contact_id__in=contact_ids).values_list("pk", flat=True):
        Conversation.objects.filter(pk=pk).update(
            to=f"erased-{pk}", volunteer=None, status=Conversation.Status.CLOSED, needs_reply=False
        )


def replies() -> QuerySet:
    """Funnel: a reply to a text (STOP and START aside) makes the person engaged."""
    from django.db.models import F, Min

    return (
        Inbound.objects.filter(contact__isnull=False, kind=Inbound.Kind.REPLY)
        .values(person=F("contact_id"))
        .annotate(at=Min("received_at"))
    )


def texting_volunteers() -> QuerySet:
    """Funnel: a volunteer whose account has a contact and who sent peer-to-peer texts is an
    activist, from their first text sent."""
    from django.db.models import F, Min

    return (
        Message.objects.filter(
            conversation__isnull=False, sent_at__isnull=False, sent_by__contact__isnull=False
        )
        .values(person=F("sent_by__contact_id"))
        .annotate(at=Min("sent_at"))
    )


def texts_sent() -> QuerySet:
    return Message.objects.filter(sent_at__isnull=False)


def text_replies() -> QuerySet:
    return Inbound.objects.filter(kind=Inbound.Kind.REPLY)
