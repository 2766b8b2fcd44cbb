"""How canvassing plugs into contacts: the timeline, a volunteer's missions and the people
of their turfs, merges, erasure, segment filters (door result, support level), funnel
sources and the doors counted on the dashboard."""

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
from .models import CanvassCampaign, Resident, Visit, default_result_codes
from .selectors import assigned_contacts, turfs_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CanvassingPlugin(ActionPlugin):
    def timeline(self, contact: Contact, limit: int) -> Iterable[TimelineEntry]:
        return timeline_entries(contact, limit)

    def missions(self, user: User) -> Iterable[MissionCard]:
        return missions(user)

    def assigned(self, user: User) -> QuerySet:
        return assigned_contacts(user)

    def action_filters(self) -> Sequence[ActionFilter]:
        return [
            ActionFilter(
                "door_result",
                door_result_filter,
                offer=ActionOffer(
                    label=gettext_lazy("Door result"),
                    param="result",
                    choices=door_result_choices,
                ),
            ),
            ActionFilter(
                "volunteered",
                volunteered_filter,
                offer=ActionOffer(
                    label=gettext_lazy("Wants to volunteer (said at the door)"),
                    param="within",
                    choices=volunteered_choices,
                ),
            ),
            ActionFilter(
                "support_level",
                support_filter,
                offer=ActionOffer(
                    label=gettext_lazy("Support level (door to door)"),
                    param="level",
                    choices=support_choices,
                ),
            ),
        ]

    def rebuild_sources(self) -> Sequence[RebuildSource]:
        return [
            RebuildSource(
                "door_support", Stage.ENGAGED, gettext_lazy("Support at the door"), supporters
            ),
            RebuildSource(
                "door_volunteers",
                Stage.VOLUNTEER,
                gettext_lazy("Wants to help (door)"),
                door_volunteers,
            ),
            RebuildSource(
                "canvassers", Stage.ACTIVIST, gettext_lazy("Knocked on doors"), canvassers
            ),
        ]

    def activity_metrics(self) -> Sequence[ActivityMetric]:
        return [
            ActivityMetric(
                "doors", gettext_lazy("Doors knocked"), rows=visits, moment="visited_at", order=30
            )
        ]

    def contact_rows(self) -> Sequence[ContactRows]:
        return [
            ContactRows(Visit, merge=Repoint(), erase=erase_visits),
            ContactRows(Resident, merge=move_residents, erase=erase_residents),
        ]

    def owned_models(self) -> Sequence[type[TerritoryOwned]]:
        return [CanvassCampaign]

    def seed_demo(self, demo: DemoSeed) -> None:
        demo_data.seed(demo)


def timeline_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    visits = Visit.objects.filter(contact=contact).select_related("campaign", "volunteer")
    entries = []
    for v in visits.order_by("-visited_at")[:limit]:
        label = v.campaign.codes.get(v.result, {}).get("label", v.result)
        details = []
        if v.support_level:
            details.append(_("support %(level)s/5") % {"level": v.support_level})
        if v.wants_to_volunteer:
            details.append(_("wants to volunteer"))
        if v.wants_to_give:
            details.append(_("wants to give"))
        if v.note:
            details.append(v.note[:200])
        entries.append(
            TimelineEntry(
                at=v.visited_at,
                kind="door",
                title=_("Door to door (%(campaign)s): %(result)s")
                % {"campaign": v.campaign.name, "result": label},
                detail=" · ".join(details),
                actor=display_name(v.volunteer),
            )
        )
    return entries


def missions(user: User) -> list[MissionCard]:
    cards = []
    for turf in turfs_of(user):
        cards.append(
            MissionCard(
                title=f"{turf.campaign.name} · {turf.name}",
                url=reverse("canvassing:walk", kwargs={"turf_id": turf.pk}),
                summary=_("%(knocked)s of %(doors)s doors knocked")
                % {"knocked": turf.knocked, "doors": turf.doors_count},
                action=_("Walk"),
            )
        )
    return cards


def move_residents(kept_id: int, dropped_id: int) -> None:
    """On a merge: the kept contact has the other's doors (once per campaign)."""
    both = Resident.objects.filter(contact_id=kept_id).values("campaign_id")
    Resident.objects.filter(contact_id=dropped_id, campaign_id__in=both).delete()
    Resident.objects.filter(contact_id=dropped_id).update(contact_id=kept_id)


def erase_visits(contact_ids: list[int]) -> None:
    """On erasure: visits stay counted; what the person said goes."""
    Visit.objects.filter(contact_id__in=contact_ids).update(answers={}, note="")


def erase_residents(contact_ids: list[int]) -> None:
    """On erasure: the person leaves the walk lists."""
    Resident.objects.filter(contact_id__in=contact_ids).delete()


def door_result_choices() -> list[tuple[str, str]]:
    return [(c["code"], c["label"]) for c in default_result_codes()]


def _latest(visits: QuerySet) -> QuerySet:
    """Of these visits, those that are their person's latest (no later one of the same
    kind): an anti-join the database runs set-wise, from the visits side."""
    later = visits.filter(contact_id=OuterRef("contact_id"), visited_at__gt=OuterRef("visited_at"))
    return visits.exclude(Exists(later))


def door_result_filter(contacts: QuerySet, params: dict) -> QuerySet:
    """Segment filter {"result": code}: contacts whose latest visit ended with that code."""
    visits = Visit.objects.filter(contact_id__isnull=False)
    latest = _latest(visits).filter(result=params.get("result", ""))
    return contacts.filter(pk__in=latest.values("contact_id"))


def support_choices() -> list[tuple[str, "StrOrPromise"]]:
    return [
        ("5", gettext_lazy("5: strong support")),
        ("4", gettext_lazy("4 or more")),
        ("3", gettext_lazy("3 or more")),
        ("-2", gettext_lazy("2 or less: opposed")),
    ]


def support_filter(contacts: QuerySet, params: dict) -> QuerySet:
    """Segment filter {"level": "4"} (4 or more) or {"level": "-2"} (2 or less), on the
    person's latest support level given at the door."""
    level = str(params.get("level", ""))
    latest = _latest(Visit.objects.filter(contact_id__isnull=False, support_level__isnull=False))
    if level.startswith("-") and level[1:].isdigit():
        latest = latest.filter(support_level__lte=int(level[1:]))
    elif level.isdigit():
        latest = latest.filter(support_level__gte=int(level))
    else:
        return contacts.none()
    return contacts.filter(pk__in=latest.values("contact_id"))


def volunteered_choices() -> list[tuple[str, "StrOrPromise"]]:
    return [("any", gettext_lazy("Ever")), ("30", gettext_lazy("In the last 30 days"))]


def volunteered_filter(contacts: QuerySet, params: dict) -> QuerySet:
    """Segment filter {"within": "any" | days}: people who said at the door they want to
    volunteer."""
    said = Visit.objects.filter(contact_id=OuterRef("pk"), wants_to_volunteer=True)
    within = str(params.get("within", "any"))
    if within.isdigit():
        said = said.filter(visited_at__gte=timezone.now() - timedelta(days=int(within)))
    return contacts.filter(Exists(said))


def supporters() -> QuerySet:
    """Funnel: support of 4 or 5 out of 5 at the door is engagement."""

    return (
        Visit.objects.filter(contact__isnull=False, support_level__gte=4)
        .values(person=F("contact_id"))
        .annotate(at=Min("visited_at"))
    )


def door_volunteers() -> QuerySet:
    """Funnel: saying at the door one wants to help makes a volunteer."""

    return (
        Visit.objects.filter(contact__isnull=False, wants_to_volunteer=True)
        .values(person=F("contact_id"))
        .annotate(at=Min("visited_at"))
    )


def canvassers() -> QuerySet:
    """Funnel: a volunteer whose account has a contact and who knocked on doors is an
    activist, from their first door."""

    return (
        Visit.objects.filter(volunteer__contact__isnull=False)
        .values(person=F("volunteer__contact_id"))
        .annotate(at=Min("visited_at"))
    )


def visits() -> QuerySet:
    return Visit.objects.all()
