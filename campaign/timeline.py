"""A contact's timeline, assembled from every app that has something to say about a person.

Each app registers a source in its AppConfig.ready(): a function taking a contact and
a limit and returning its newest TimelineEntry items. Petitions, canvassing, SMS and
donations plug in the same way, reading their own tables; nothing is copied into a
shared event table, so the timeline is always what the tables say.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from itertools import islice
from typing import Any


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # a short key for the icon and CSS class: "consent", "created", "petition"…
    title: str
    detail: str = ""
    actor: str = ""


# (contact, limit) → entries; Any: campaign, below contacts, does not import its Contact.
TimelineSource = Callable[[Any, int], Iterable[TimelineEntry]]
_sources: list[TimelineSource] = []


def register(source: TimelineSource) -> None:
    if source not in _sources:
        _sources.append(source)


def timeline_for(contact, *, limit: int = 100) -> list[TimelineEntry]:
    """The newest `limit` entries about `contact`, newest first, from every registered source."""
    streams = [sorted(source(contact, limit), key=_newest_first) for source in _sources]
    return list(islice(merge(*streams, key=_newest_first), limit))


def _newest_first(entry: TimelineEntry):
    return -entry.at.timestamp()
