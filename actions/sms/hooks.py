"""How texts plug into contacts: the timeline shows what was sent and what came back."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.timeline import TimelineEntry

from .models import Inbound, Message


def timeline_entries(contact, limit: int) -> list[TimelineEntry]:
    sent = Message.objects.filter(contact=contact, sent_at__isnull=False).select_related("blast")
    entries = [
        TimelineEntry(
            at=m.sent_at,
            kind="sms",
            title=_("Text sent: %(name)s") % {"name": m.blast.name if m.blast else _("message")},
            detail=f"{m.get_status_display()} · {m.body[:160]}",
        )
        for m in sent.order_by("-sent_at")[:limit]
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


def replied_choices() -> list[tuple[str, str]]:
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
