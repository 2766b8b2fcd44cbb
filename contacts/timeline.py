"""A contact's timeline, assembled from every app that has something to say about a person,
and what the contacts app adds to it: origin, consent changes, staff activity, and the stages
of the funnel the person reached.

Each installed plugin gives its newest entries about the contact, reading its own tables;
nothing is copied into a shared event table, so the timeline is always what the tables say.
"""

from heapq import merge
from itertools import islice

from django.utils.translation import gettext as _

from campaign.accounts.names import display_name

from .models import ConsentEvent, Contact, ContactActivity, StageEvent
from .plugins import TimelineEntry, installed


def timeline_for(contact: Contact, *, limit: int = 100) -> list[TimelineEntry]:
    """The newest `limit` entries about `contact`, newest first, from every installed plugin."""
    streams = [sorted(plugin.timeline(contact, limit), key=_newest_first) for plugin in installed()]
    return list(islice(merge(*streams, key=_newest_first), limit))


def _newest_first(entry: TimelineEntry) -> float:
    return -entry.at.timestamp()


def entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    items = [
        TimelineEntry(
            at=contact.source_at,
            kind="origin",
            title=_("Data collected: %(source)s") % {"source": contact.get_source_display()},
            detail=contact.source_detail,
        )
    ]
    for event in ConsentEvent.objects.filter(contact=contact).select_related("actor")[:limit]:
        items.append(
            TimelineEntry(
                at=event.occurred_at,
                kind="consent",
                title=_("Consent %(channel)s: %(status)s")
                % {"channel": event.get_channel_display(), "status": event.get_status_display()},
                detail=" — ".join(
                    filter(None, [event.get_source_display(), event.source_detail, event.wording])
                ),
                actor=display_name(event.actor),
            )
        )
    for activity in ContactActivity.objects.filter(contact=contact).select_related("actor")[:limit]:
        items.append(
            TimelineEntry(
                at=activity.occurred_at,
                kind=activity.kind,
                title=activity.get_kind_display(),
                detail=activity.summary,
                actor=display_name(activity.actor),
            )
        )
    for reached in (
        StageEvent.objects.filter(contact=contact).exclude(stage=1).order_by("-at")[:limit]
    ):
        items.append(
            TimelineEntry(
                at=reached.at,
                kind="stage",
                title=_("Funnel stage reached: %(stage)s") % {"stage": reached.get_stage_display()},
                detail=reached.why,
            )
        )
    return items
