"""How texts plug into contacts: the timeline shows what was sent and what came back, the
volunteers' texting missions and the people they hold, merges, erasure, the "replied"
segment filter, funnel sources and the texts counted on the dashboard."""

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, F, Min, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.accounts.names import display_name
from campaign.models import User
from campaign.ownership import TerritoryOwned
from contacts.demo import DemoSeed
from contacts.funnel.stages import Stage
from contacts.models import Contact
from contacts.plugins import (
    ActionFilter,
    ActionOffer,
    ActionPlugin,
    ActivityMetric,
    ContactRows,
    MissionCard,
    RebuildSource,
    Repoint,
    TimelineEntry,
)

from . import demo as demo_data
from .models import Blast, Conversation, Inbound, Message, P2PCampaign, SurveyAnswer
from .p2p.selectors import assigned_contacts, volunteer_missions

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SmsPlugin(ActionPlugin):
    def timeline(self, contact: Contact, limit: int) -> Iterable[TimelineEntry]:
        return timeline_entries(contact, limit)

    def missions(self, user: User) -> Iterable[MissionCard]:
        return missions(user)

    def assigned(self, user: User) -> QuerySet:
        return assigned_contacts(user)

    def action_filters(self) -> Sequence[ActionFilter]:
        return [
            ActionFilter(
                "replied_to_text",
                replied_filter,
                offer=ActionOffer(
                    label=gettext_lazy("Replied to a text"),
                    param="within",
                    choices=replied_choices,
                ),
            )
        ]

    def rebuild_sources(self) -> Sequence[RebuildSource]:
        return [
            RebuildSource("sms_replies", Stage.ENGAGED, gettext_lazy("Replied to a text"), replies),
            RebuildSource(
                "sms_texters", Stage.ACTIVIST, gettext_lazy("Sent texts"), texting_volunteers
            ),
        ]

    def activity_metrics(self) -> Sequence[ActivityMetric]:
        return [
            ActivityMetric(
                "texts_sent",
                gettext_lazy("Texts sent"),
                rows=texts_sent,
                moment="sent_at",
                order=40,
            ),
            ActivityMetric(
                "texts_replied",
                gettext_lazy("Replies"),
                rows=text_replies,
                moment="received_at",
                order=45,
            ),
        ]

    def contact_rows(self) -> Sequence[ContactRows]:
        # Texts first: where both people had a conversation in the same campaign, the
        # dropped one's texts then join the kept conversation.
        return [
            ContactRows(Message, merge=Repoint(), erase=erase_messages),
            ContactRows(Inbound, merge=Repoint(), erase=erase_inbound),
            ContactRows(Conversation, merge=move_conversations, erase=erase_conversations),
        ]

    def owned_models(self) -> Sequence[type[TerritoryOwned]]:
        return [Blast, P2PCampaign]

    def seed_demo(self, demo: DemoSeed) -> None:
        demo_data.seed(demo)


def _about(message: Message) -> str:
    if message.blast:
        return message.blast.name
    if message.conversation:
        return message.conversation.campaign.name
    return _("message")


def timeline_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    sent = Message.objects.filter(contact=contact, sent_at__isnull=False).select_related(
        "blast", "conversation__campaign", "sent_by"
    )
    entries = [
        TimelineEntry(
            at=m.sent_at,
            kind="sms",
            title=_("Text sent: %(name)s") % {"name": _about(m)},
            detail=f"{m.get_status_display()} · {m.body[:160]}",
            actor=display_name(m.sent_by),
        )
        for m in sent.order_by("-sent_at")[:limit]
        if m.sent_at is not None  # always (the query asks so): for the type checker
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
            actor=display_name(a.recorded_by),
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


def missions(user: User) -> list[MissionCard]:
    """Volunteer home: texting campaigns where they hold people, and those they may join."""
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


def move_conversations(kept_id: int, dropped_id: int) -> None:
    """On a merge: the kept contact has the other's conversations. Where both had one in the
    same campaign, the texts and answers join the kept one."""
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


def erase_messages(contact_ids: list[int]) -> None:
    """On erasure: texts stay counted; what they said and the numbers go."""
    Message.objects.filter(contact_id__in=contact_ids).update(to="", body="")


def erase_inbound(contact_ids: list[int]) -> None:
    """On erasure: replies stay counted; what they said and the numbers go."""
    Inbound.objects.filter(contact_id__in=contact_ids).update(from_number="", body="")


def erase_conversations(contact_ids: list[int]) -> None:
    """On erasure: the conversations close, with neither number nor volunteer."""
    for pk in Conversation.objects.filter(contact_id__in=contact_ids).values_list("pk", flat=True):
        Conversation.objects.filter(pk=pk).update(
            to=f"erased-{pk}", volunteer=None, status=Conversation.Status.CLOSED, needs_reply=False
        )


def replies() -> QuerySet:
    """Funnel: a reply to a text (STOP and START aside) makes the person engaged."""

    return (
        Inbound.objects.filter(contact__isnull=False, kind=Inbound.Kind.REPLY)
        .values(person=F("contact_id"))
        .annotate(at=Min("received_at"))
    )


def texting_volunteers() -> QuerySet:
    """Funnel: a volunteer whose account has a contact and who sent peer-to-peer texts is an
    activist, from their first text sent."""

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
