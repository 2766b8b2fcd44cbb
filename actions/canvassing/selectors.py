"""Reads for canvassing: a volunteer's turfs and walk list (only what a door needs), the
progress of a campaign and of a turf, for staff."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from campaign.accounts.names import NAME_FIELDS, name_from
from campaign.models import User
from campaign.ownership import owned_changeable_by, owned_visible_to
from contacts.scope import contacts_visible_to

from .models import CanvassCampaign, Door, Resident, Turf, Visit

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def campaigns_for_staff(user: User) -> QuerySet[CanvassCampaign]:
    """The campaigns `user` may open: admins all, organizers their territories' and the
    whole campaign's (whose turfs and figures are then cut to their people)."""
    return owned_visible_to(CanvassCampaign.objects.all(), user)


def campaigns_changeable_by(user: User) -> QuerySet[CanvassCampaign]:
    """The campaigns `user` may change (script, status, turfs, assignments)."""
    return owned_changeable_by(CanvassCampaign.objects.all(), user)


def turfs_for_staff(user: User, campaign: CanvassCampaign) -> QuerySet[Turf]:
    """The campaign's turfs with at least one person `user` may see."""
    turfs = Turf.objects.filter(campaign=campaign)
    if user.is_admin:
        return turfs
    visible = Resident.objects.filter(
        campaign=campaign, contact__in=contacts_visible_to(user).values("pk")
    ).values("turf_id")
    return turfs.filter(pk__in=visible)


class Knocked(TypedDict):
    knocked: int  # doors knocked on the turf


def turfs_of(user: User) -> "QuerySet[WithAnnotations[Turf, Knocked]]":
    """The turfs a volunteer walks, in campaigns under way, with the doors knocked."""
    return (
        Turf.objects.filter(volunteers=user, campaign__status=CanvassCampaign.Status.ACTIVE)
        .select_related("campaign")
        .annotate(knocked=Count("visits__door", distinct=True))
    )


def may_walk(user: User, turf: Turf) -> bool:
    """The turf's volunteers while its campaign is under way, and staff who may see its people."""
    if turf.volunteers.filter(pk=user.pk).exists():
        # A volunteer holds a turf's people while its campaign is under way, as their contact
        # scope says (assigned_contacts): not before it starts, not once it is closed.
        return turf.campaign.status == CanvassCampaign.Status.ACTIVE
    return (
        campaigns_for_staff(user).filter(pk=turf.campaign_id).exists()
        and turfs_for_staff(user, turf.campaign).filter(pk=turf.pk).exists()
    )


def walkable_turf(user: User, turf_id: int) -> Turf | None:
    """The turf if `user` may walk it (its volunteers, staff of its people), else None."""
    turf = Turf.objects.select_related("campaign").filter(pk=turf_id).first()
    return turf if turf is not None and may_walk(user, turf) else None


def assigned_contacts(user: User) -> QuerySet:
    """What a volunteer may see of the contacts: the people of their turfs (given to
    contacts.scope by the plugin)."""
    return Resident.objects.filter(
        turf__volunteers=user, campaign__status=CanvassCampaign.Status.ACTIVE
    ).values("contact_id")


@dataclass
class WalkDoor:
    id: int
    label: str
    flat: str
    residents: list[dict]  # {"id", "name"}: no email, no phone, no opinion
    last_result: str = ""
    last_at: str = ""
    last_code: str = ""
    lat: float | None = None
    lng: float | None = None


@dataclass
class WalkBuilding:
    key: str
    label: str
    doors: list[WalkDoor] = field(default_factory=list)


@dataclass
class WalkStreet:
    name: str
    buildings: list[WalkBuilding] = field(default_factory=list)


def walk_list(turf: Turf, viewer: User | None = None) -> list[WalkStreet]:
    """The turf as one walks it: streets, buildings, doors, each door with its people's
    names and its last result (the code's label). Nothing else leaves the server. With a
    `viewer`, only the people they may see are named (a turf an admin cut across territories
    shows an organizer their own people only); the doors stay, for the walk."""
    codes = turf.campaign.codes
    last = Visit.objects.filter(door=OuterRef("pk")).order_by("-visited_at")
    doors = (
        Door.objects.filter(turf=turf)
        .annotate(
            last_result=Subquery(last.values("result")[:1]),
            last_at=Subquery(last.values("visited_at")[:1]),
        )
        .order_by("position")
    )
    residents = defaultdict(list)
    residents_of = Resident.objects.filter(turf=turf)
    if viewer is not None:
        residents_of = residents_of.filter(contact__in=contacts_visible_to(viewer).values("pk"))
    for door_id, pk, first, last_name in residents_of.order_by(
        "contact__last_name", "contact__first_name"
    ).values_list("door_id", "contact_id", "contact__first_name", "contact__last_name"):
        residents[door_id].append({"id": pk, "name": f"{first} {last_name}".strip()})
    streets: list[WalkStreet] = []
    for door in doors:
        street_name = f"{door.street}, {door.commune}" if door.commune else door.street
        if not streets or streets[-1].name != street_name:
            streets.append(WalkStreet(name=street_name))
        buildings = streets[-1].buildings
        if not buildings or buildings[-1].key != door.building:
            number = f"{door.number or ''}{' ' + door.suffix if door.suffix else ''}".strip()
            buildings.append(WalkBuilding(key=door.building, label=number or "s/n"))
        last_code: str = door.last_result or ""
        result = codes.get(last_code, {})
        buildings[-1].doors.append(
            WalkDoor(
                id=door.pk,
                label=str(door),
                flat=door.flat,
                residents=residents[door.pk],
                last_result=result.get("label", last_code),
                last_at=door.last_at.isoformat() if door.last_at else "",
                last_code=last_code,
                lat=float(door.latitude) if door.latitude is not None else None,
                lng=float(door.longitude) if door.longitude is not None else None,
            )
        )
    return streets


def walk_doors(streets: list[WalkStreet]) -> list[WalkDoor]:
    """The walk list's doors, in walking order."""
    return [door for street in streets for building in street.buildings for door in building.doors]


def walk_progress(streets: list[WalkStreet]) -> dict:
    """The doors of the walk list and those left: never knocked on in this campaign."""
    doors = walk_doors(streets)
    left = sum(1 for door in doors if not door.last_at)
    return {"doors": len(doors), "left": left, "done": len(doors) - left}


def walk_points(streets: list[WalkStreet]) -> list[dict]:
    """The walk list's doors with coordinates, for its map."""
    return [
        {"lat": d.lat, "lng": d.lng, "result": d.last_code, "label": d.label, "door": d.id}
        for d in walk_doors(streets)
        if d.lat is not None and d.lng is not None
    ]


def campaign_progress(user: User, campaign: CanvassCampaign, turf: Turf | None = None) -> dict:
    """Doors knocked, contact rate, support given, per turf and per volunteer, over the
    turfs `user` may see (or one of them). Support levels are counted, never listed by
    person."""
    turfs = turfs_for_staff(user, campaign)
    if turf is not None:
        turfs = turfs.filter(pk=turf.pk)
    talked_codes = [c for c, v in campaign.codes.items() if v.get("talked")]
    visits = _seen_by(user, campaign, Visit.objects.filter(turf__in=turfs))
    knocked = visits.values("door_id").distinct().count()
    talked = visits.filter(result__in=talked_codes).values("door_id").distinct().count()
    per_turf = list(
        turfs.annotate(
            knocked=Count("visits__door", distinct=True),
            talked=Count("visits__door", filter=Q(visits__result__in=talked_codes), distinct=True),
        ).order_by("name")
    )
    per_volunteer = [
        {**row, "name": name_from(*(row.pop(f"volunteer__{f}") for f in NAME_FIELDS))}
        for row in visits.values(*(f"volunteer__{f}" for f in NAME_FIELDS))
        .annotate(
            visits=Count("pk"),
            talked=Count("pk", filter=Q(result__in=talked_codes)),
        )
        .order_by("-visits")
    ]
    support = dict(
        visits.filter(support_level__isnull=False)
        .values_list("support_level")
        .annotate(n=Count("pk"))
        .values_list("support_level", "n")
    )
    doors = Door.objects.filter(turf__in=turfs).count()
    return {
        "doors": doors,
        "knocked": knocked,
        "talked": talked,
        "contact_rate": round(100 * talked / knocked) if knocked else 0,
        "support": [(level, support.get(level, 0)) for level in range(1, 6)],
        "support_total": sum(support.values()),
        "per_turf": per_turf,
        "per_volunteer": per_volunteer,
        "results": list(
            visits.values("result")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("result", "n")
        ),
    }


def door_points(user: User, campaign: CanvassCampaign) -> list[dict]:
    """Doors with coordinates and whether they were knocked, for the map."""
    last = Visit.objects.filter(door=OuterRef("pk")).order_by("-visited_at")
    doors = Door.objects.filter(turf__in=turfs_for_staff(user, campaign), latitude__isnull=False)
    if not user.is_admin:  # another territory's households stay off an organizer's map
        doors = doors.filter(pk__in=_doors_of_people_seen_by(user, campaign))
    points = doors.annotate(last_result=Subquery(last.values("result")[:1])).values(
        "pk", "latitude", "longitude", "last_result", "turf__name"
    )[:5000]
    return [
        {
            "lat": float(d["latitude"]),
            "lng": float(d["longitude"]),
            "result": d["last_result"] or "",
            "label": d["turf__name"],
        }
        for d in points
    ]


def _doors_of_people_seen_by(user: User, campaign: CanvassCampaign) -> QuerySet:
    visible = contacts_visible_to(user).values("pk")
    return Resident.objects.filter(campaign=campaign, contact__in=visible).values("door_id")


def _seen_by(user: User, campaign: CanvassCampaign, visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """The visits about people `user` may see (and doors nobody opened where one of the
    people is theirs): on a turf cut across territories, the others' answers are not theirs."""
    if user.is_admin:
        return visits
    visible = contacts_visible_to(user).values("pk")
    doors = _doors_of_people_seen_by(user, campaign)
    return visits.filter(Q(contact__in=visible) | Q(contact__isnull=True, door__in=doors))


def visits_for_export(user: User, campaign: CanvassCampaign) -> QuerySet[Visit]:
    """The campaign's visits at doors of turfs `user` may see, and only about people they may
    see: a support level at someone else's door is a political opinion (GDPR art. 9) that the
    door's address would identify, with or without the name. A door nobody opened counts
    where one of its people is theirs."""
    visits = _seen_by(
        user, campaign, Visit.objects.filter(turf__in=turfs_for_staff(user, campaign))
    )
    return visits.select_related("turf", "door", "contact", "volunteer").order_by(
        "turf__name", "door__position", "visited_at"
    )
