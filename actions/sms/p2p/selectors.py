"""Reads for peer-to-peer texting: campaigns and their figures, a volunteer's missions, the
staff inbox, one conversation's thread."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from campaign.accounts.names import NAME_FIELDS, display_name, name_from
from campaign.models import User
from campaign.ownership import owned_changeable_by, owned_visible_to
from contacts.scope import contacts_visible_to

from ..models import Conversation, Inbound, Message, P2PCampaign, SurveyAnswer


def p2p_campaigns_for_staff(user: User) -> QuerySet[P2PCampaign]:
    """The texting campaigns `user` may open: an admin all, an organizer their territories'
    (the whole campaign's are the admins')."""
    return owned_visible_to(
        P2PCampaign.objects.select_related("segment", "created_by", "territory"),
        user,
        national=False,
    )


def campaign_figures(campaign: P2PCampaign) -> dict:
    """How far the campaign is: people, handed out, openings sent, replies waiting,
    opt-outs; and the same per volunteer."""
    by = Conversation.objects.filter(campaign=campaign)
    totals = by.aggregate(
        total=Count("pk"),
        unassigned=Count("pk", filter=Q(volunteer__isnull=True)),
        to_send=Count("pk", filter=Q(status=Conversation.Status.NEW)),
        opened=Count("pk", filter=~Q(status=Conversation.Status.NEW)),
        waiting=Count("pk", filter=Q(needs_reply=True)),
        opted_out=Count("pk", filter=Q(status=Conversation.Status.OPTED_OUT)),
    )
    replied = (
        Inbound.objects.filter(conversation__campaign=campaign)
        .values("conversation_id")
        .distinct()
        .count()
    )
    volunteers = [
        {**row, "name": name_from(*(row.pop(f"volunteer__{f}") for f in NAME_FIELDS))}
        for row in by.filter(volunteer__isnull=False)
        .values("volunteer_id", *(f"volunteer__{f}" for f in NAME_FIELDS))
        .annotate(
            held=Count("pk"),
            to_send=Count("pk", filter=Q(status=Conversation.Status.NEW)),
            waiting=Count("pk", filter=Q(needs_reply=True)),
        )
        .order_by("volunteer__username")
    ]
    return {**totals, "replied": replied, "volunteers": volunteers}


def texters() -> QuerySet[User]:
    """Who may be handed conversations: active volunteers and organizers."""
    return User.objects.filter(is_active=True).order_by("username")


@dataclass(frozen=True)
class Mission:
    campaign: P2PCampaign
    to_send: int
    waiting: int
    held: int


def mission_of(user: User, campaign: P2PCampaign) -> Mission | None:
    """What `user` holds in this campaign, if it is under way."""
    return next(iter(volunteer_missions(user, campaign=campaign)), None)


def volunteer_missions(user: User, *, campaign: P2PCampaign | None = None) -> list[Mission]:
    """The texting campaigns under way where `user` holds conversations (or just one)."""
    held = Conversation.objects.filter(volunteer=user, campaign__status=P2PCampaign.Status.ACTIVE)
    if campaign is not None:
        held = held.filter(campaign=campaign)
    rows = held.values("campaign_id").annotate(
        held=Count("pk"),
        to_send=Count("pk", filter=Q(status=Conversation.Status.NEW)),
        waiting=Count("pk", filter=Q(needs_reply=True)),
    )
    counts = {row["campaign_id"]: row for row in rows}
    campaigns = P2PCampaign.objects.filter(pk__in=counts).order_by("-started_at")
    return [
        Mission(
            campaign=c,
            to_send=counts[c.pk]["to_send"],
            waiting=counts[c.pk]["waiting"],
            held=counts[c.pk]["held"],
        )
        for c in campaigns
    ]


def assigned_contacts(user: User) -> QuerySet:
    """Contact ids a volunteer holds a conversation with, in a campaign under way: what they
    may see of the contacts (given to contacts.scope by the plugin)."""
    return Conversation.objects.filter(
        volunteer=user, campaign__status=P2PCampaign.Status.ACTIVE
    ).values("contact_id")


def _with_last_reply(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    last = Inbound.objects.filter(conversation=OuterRef("pk")).order_by("-received_at")
    return conversations.annotate(last_reply=Subquery(last.values("body")[:1]))


def conversations_of(user: User, campaign: P2PCampaign) -> QuerySet[Conversation]:
    """A volunteer's conversations in a campaign: waiting for an answer first."""
    return _with_last_reply(
        Conversation.objects.filter(campaign=campaign, volunteer=user)
        .exclude(status=Conversation.Status.NEW)
        .select_related("contact")
        .order_by("-needs_reply", "-last_message_at", "pk")
    )


def next_to_open(user: User, campaign: P2PCampaign) -> Conversation | None:
    return (
        Conversation.objects.filter(
            campaign=campaign, volunteer=user, status=Conversation.Status.NEW
        )
        .select_related("contact")
        .order_by("pk")
        .first()
    )


def conversations_for_staff(user: User) -> QuerySet[Conversation]:
    """The conversations staff may read and act on: of a campaign `user` may change, with a
    person `user` may see (an admin: all)."""
    if not user.can_use_crm:
        return Conversation.objects.none()
    visible = Conversation.objects.all()
    if not user.is_admin:
        visible = visible.filter(
            campaign__in=owned_changeable_by(P2PCampaign.objects.all(), user).values("pk"),
            contact__in=contacts_visible_to(user).values("pk"),
        )
    return visible.select_related("contact", "campaign", "volunteer")


INBOX_FILTERS = ("unanswered", "opted_out", "replied")


def staff_inbox(
    user: User,
    *,
    campaign_id: int | None = None,
    show: str = "",
    volunteer_id: int | None = None,
) -> QuerySet[Conversation]:
    """The staff inbox: conversations past their opening, newest activity first, filtered by
    campaign, by volunteer, and to those waiting for an answer, opted out or replied."""
    found = conversations_for_staff(user).exclude(status=Conversation.Status.NEW)
    if campaign_id:
        found = found.filter(campaign_id=campaign_id)
    if volunteer_id:
        found = found.filter(volunteer_id=volunteer_id)
    if show == "unanswered":
        found = found.filter(needs_reply=True)
    elif show == "opted_out":
        found = found.filter(status=Conversation.Status.OPTED_OUT)
    elif show == "replied":
        found = found.filter(pk__in=Inbound.objects.values("conversation_id"))
    return _with_last_reply(found.order_by("-last_message_at", "-pk"))


def conversation_for(user: User, conversation_id: int) -> Conversation | None:
    """The conversation if `user` holds it, or is staff who may see the person."""
    found = Conversation.objects.select_related("campaign", "contact", "volunteer").filter(
        pk=conversation_id
    )
    held = found.filter(volunteer=user).first()
    if held is not None:
        return held
    return conversations_for_staff(user).filter(pk=conversation_id).first()


@dataclass(frozen=True)
class ThreadItem:
    at: datetime
    outgoing: bool
    body: str
    status: str = ""
    who: str = ""


def thread(conversation: Conversation) -> list[ThreadItem]:
    """The texts both ways, oldest first, as a phone shows them."""
    items = [
        ThreadItem(
            at=m.sent_at or m.updated_at,
            outgoing=True,
            body=m.body,
            status=m.get_status_display(),
            who=display_name(m.sent_by),
        )
        for m in Message.objects.filter(conversation=conversation).select_related("sent_by")
    ]
    items += [
        ThreadItem(at=r.received_at, outgoing=False, body=r.body)
        for r in Inbound.objects.filter(conversation=conversation)
    ]
    return sorted(items, key=lambda item: item.at)


def answers_of(conversation: Conversation) -> dict[int, str]:
    return dict(
        SurveyAnswer.objects.filter(conversation=conversation).values_list("question_id", "answer")
    )
