"""Where each stage comes from in the tables, for rebuilding the events from actions.

Apps register a RebuildSource per kind of action: a query giving, for each person, the
time of their first such action (`person`: the contact id, `at`). Recording as it happens and
rebuilding must agree, so each app keeps both side by side.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class RebuildSource:
    key: str
    stage: int
    why: "StrOrPromise"  # lazy: translated when shown
    query: Callable[[], QuerySet]


_sources: dict[str, RebuildSource] = {}


def register_rebuild_source(source: RebuildSource) -> None:
    _sources[source.key] = source


def rebuild_sources() -> list[RebuildSource]:
    return sorted(_sources.values(), key=lambda s: (s.stage, s.key))


def contacts_acquired() -> QuerySet:
    from contacts.models import Contact

    return Contact.objects.annotate(person=F("pk"), at=F("source_at"))


def consents_granted() -> QuerySet:
    from django.db.models import Min

    from contacts.models import ConsentEvent, ConsentStatus

    return (
        ConsentEvent.objects.filter(status=ConsentStatus.GRANTED)
        .values(person=F("contact_id"))
        .annotate(at=Min("occurred_at"))
    )
