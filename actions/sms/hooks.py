"""How texts plug into contacts: the timeline shows what was sent and what came back."""

from django.utils.translation import gettext as _

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
