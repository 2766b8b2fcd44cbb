"""Writes for door-to-door canvassing: campaigns and their script, turfs cut from contacts
into doors in walking order, volunteers assigned, and visits recorded once each, however
many times a phone sends them."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaign.exceptions import ApplicationError
from campaign.models import User
from campaign.ordered import ordered_rows_sync
from campaign.ownership import (
    default_territory_for,
    ensure_may_change,
    may_change,
    owner_checked,
)
from campaign.webhooks.models import Event
from campaign.webhooks.services import person_brief, webhooks_emit
from contacts.funnel.services import Reach, stages_record_many
from contacts.funnel.stages import Stage
from contacts.models import Contact, Tag
from contacts.scope import contacts_visible_to

from .addresses import read_address, walk_order
from .models import CanvassCampaign, Door, Question, Resident, Turf, Visit
from .selectors import may_walk

# What the door said that the rest of the funnel uses (issue: funnel dashboard).
VOLUNTEER_TAG = "Prospect bénévole"
GIVE_TAG = "Prospect donateur"


def default_questions() -> list[dict]:
    """A new script's questions, in the language of the organizer who writes it."""
    return [
        {
            "kind": Question.Kind.SUPPORT,
            "text": pgettext(
                "door question", "Support for the project (1: against, 5: strongly for)"
            ),
        },
        {"kind": Question.Kind.VOLUNTEER, "text": pgettext("door question", "Wants to volunteer")},
        {"kind": Question.Kind.GIVE, "text": pgettext("door question", "Wants to give")},
    ]


_UNCHANGED = object()


@transaction.atomic
def canvass_campaign_save(
    *,
    actor: User,
    name: str,
    starts_on: date,
    ends_on: date,
    questions: list[dict] | None = None,
    result_codes: list[dict] | None = None,
    campaign: CanvassCampaign | None = None,
    territory=_UNCHANGED,
) -> CanvassCampaign:
    """Create or change a campaign. A new one gets the default script (support level,
    volunteering, giving) unless `questions` ({"id"?, kind, text, choices?, delete?}) say
    otherwise; questions already answered cannot be removed. `result_codes` ({code, label,
    talked}) replace the default ones; a code already used by a visit stays. `territory`
    says whose it is (by default, a new one is the author's, see ownership); only the
    owner's organizers and the admins change it."""
    if campaign is not None:
        ensure_may_change(actor, campaign)
    if ends_on < starts_on:
        raise ApplicationError(_("The campaign cannot end before it starts."), field="ends_on")
    creating = campaign is None
    if creating and territory is _UNCHANGED:
        territory = default_territory_for(actor)
    campaign = campaign or CanvassCampaign(created_by=actor)
    if territory is not _UNCHANGED:
        campaign.territory = owner_checked(actor, territory)
    campaign.name, campaign.starts_on, campaign.ends_on = name, starts_on, ends_on
    if result_codes is not None:
        campaign.result_codes = _checked_codes(campaign, result_codes, creating=creating)
    campaign.save()
    if questions is None and creating:
        questions = default_questions()
    ordered_rows_sync(
        model=Question,
        parent={"campaign": campaign},
        items=questions or [],
        fields=("kind", "text", "choices"),
        answered=lambda question: Visit.objects.filter(
            campaign=campaign, answers__has_key=str(question.pk)
        ).exists(),
        check=_check_question,
    )
    return campaign


def _check_question(question: Question) -> None:
    if question.kind == Question.Kind.CHOICE and len(question.choice_list) < 2:
        raise ApplicationError(_("A multiple-choice question needs at least two answers."))


def _checked_codes(campaign: CanvassCampaign, codes: list[dict], *, creating: bool) -> list[dict]:
    clean = [
        {
            "code": (c.get("code") or slugify(c["label"]).replace("-", "_"))[:30],
            "label": c["label"].strip(),
            "talked": bool(c.get("talked")),
        }
        for c in codes
        if (c.get("label") or "").strip()  # a line without a label is removed
    ]
    names = [c["code"] for c in clean]
    if len(set(names)) != len(names):
        raise ApplicationError(_("Each result code must be different."))
    if not any(c["talked"] for c in clean) or "not_home" not in names:
        raise ApplicationError(
            _("Keep a result that counts as a conversation, and “not_home” (nobody home).")
        )
    if not creating:
        used = set(Visit.objects.filter(campaign=campaign).values_list("result", flat=True))
        missing = used - set(names)
        if missing:
            raise ApplicationError(
                _("These results are already recorded and must stay: %(codes)s")
                % {"codes": ", ".join(sorted(missing))}
            )
    return clean


@transaction.atomic
def canvass_campaign_set_status(*, campaign: CanvassCampaign, actor: User, status: str):
    ensure_may_change(actor, campaign)
    if status not in CanvassCampaign.Status.values:
        raise ApplicationError(_("Unknown status."))
    campaign.status = status
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def canvass_campaign_reopen(*, campaign: CanvassCampaign, actor: User) -> CanvassCampaign:
    """A closed campaign under way again: its turfs, assignments and visits as they were."""
    ensure_may_change(actor, campaign)
    if campaign.status != CanvassCampaign.Status.CLOSED:
        raise ApplicationError(_("Only a closed campaign can be reopened."))
    return canvass_campaign_set_status(
        campaign=campaign, actor=actor, status=CanvassCampaign.Status.ACTIVE
    )


# Turfs


CUT_KINDS = ("commune", "postal_code", "bureau", "streets")


@dataclass
class _Person:
    pk: int
    last_name_key: str
    postal_code: str
    commune: str
    latitude: object
    longitude: object
    street: str


def _cut_filter(kind: str, values: list[str]) -> Q:
    if kind == "commune":
        return Q(insee_code__in=values) | Q(commune_key__in=[v.lower() for v in values])
    if kind == "postal_code":
        return Q(postal_code__in=values)
    if kind == "bureau":
        return Q(bureau_code__in=values)
    raise ApplicationError(_("Unknown way to cut turfs."))


@transaction.atomic
def turfs_cut(
    *,
    campaign: CanvassCampaign,
    actor: User,
    name: str,
    kind: str,
    values: list[str],
    streets: Sequence[str] = (),
    max_doors: int | None = None,
) -> list[Turf]:
    """Turfs from the contacts `actor` may see in a commune (INSEE code or name), postal
    code or polling station, optionally only some streets of it: people grouped into doors
    (a building is a list of flats), doors in walking order, cut every `max_doors` doors
    without splitting a building. A person already in a turf of the campaign stays there.
    Erased people and people who objected are left out; so are those without an address."""
    ensure_may_change(actor, campaign)
    if campaign.status == CanvassCampaign.Status.CLOSED:
        raise ApplicationError(_("This campaign is closed."))
    values = [v.strip() for v in values if v.strip()]
    if not values:
        raise ApplicationError(_("Say where: at least one code or name."), field="values")
    if kind == "streets":
        where = _cut_filter("postal_code", values) | _cut_filter("commune", values)
    else:
        where = _cut_filter(kind, values)
    people = (
        contacts_visible_to(actor)
        .filter(where, erased_at__isnull=True, objected_at__isnull=True)
        .exclude(street="")
        .exclude(pk__in=Resident.objects.filter(campaign=campaign).values("contact_id"))
        .values_list(
            "pk", "last_name_key", "postal_code", "commune", "latitude", "longitude", "street"
        )
    )
    wanted_streets = {read_address(f"1 {s}").street_key for s in streets if s.strip()}
    doors = _doors(
        (_Person(*row) for row in people.iterator(chunk_size=5000)),
        wanted_streets=wanted_streets,
    )
    if not doors:
        raise ApplicationError(_("Nobody with an address there (or all are in turfs already)."))
    turfs = []
    for index, chunk in enumerate(_chunks(doors, max_doors), start=1):
        label = name if max_doors is None or len(doors) <= (max_doors or 0) else f"{name} {index}"
        turf = Turf.objects.create(
            campaign=campaign,
            name=label[:200],
            cut_from={"kind": kind, "values": values, "streets": list(streets)},
            doors_count=len(chunk),
        )
        rows = []
        for position, (door, residents) in enumerate(chunk):
            door.turf, door.position = turf, position
            rows.append((door, residents))
        Door.objects.bulk_create([door for door, _r in rows])
        Resident.objects.bulk_create(
            Resident(door=door, turf=turf, campaign=campaign, contact_id=pk)
            for door, residents in rows
            for pk in residents
        )
        turfs.append(turf)
    return turfs


def _doors(people, *, wanted_streets: set[str]) -> list[tuple[Door, list[int]]]:
    """People grouped into doors, in walking order. Same building, same flat: one door; in
    a building without flat numbers, one door per family name."""
    households: dict[tuple, dict] = {}
    for person in people:
        address = read_address(person.street)
        if wanted_streets and address.street_key not in wanted_streets:
            continue
        building = f"{person.postal_code}|{address.street_key}|{address.number}|{address.suffix}"
        who = address.flat.lower() if address.flat else f"~{person.last_name_key}"
        household = households.setdefault(
            (building, who),
            {"address": address, "person": person, "building": building, "residents": []},
        )
        household["residents"].append(person.pk)
    ordered = sorted(
        households.values(),
        key=lambda h: (
            walk_order(h["person"].postal_code, h["address"]),
            h["person"].last_name_key,
        ),
    )
    return [
        (
            Door(
                building=h["building"][:300],
                street=h["address"].street[:255],
                number=h["address"].number,
                suffix=h["address"].suffix[:10],
                flat=h["address"].flat[:100],
                postal_code=h["person"].postal_code,
                commune=h["person"].commune,
                latitude=h["person"].latitude,
                longitude=h["person"].longitude,
            ),
            sorted(h["residents"]),
        )
        for h in ordered
    ]


def _chunks(doors: list, max_doors: int | None):
    """Cuts of about `max_doors` doors, never splitting a building."""
    if not max_doors:
        yield doors
        return
    chunk: list = []
    for door in doors:
        if len(chunk) >= max_doors and door[0].building != chunk[-1][0].building:
            yield chunk
            chunk = []
        chunk.append(door)
    if chunk:
        yield chunk


def turf_may_be_assigned_by(*, turf: Turf, actor: User) -> bool:
    """Whether `actor` may hand this turf to volunteers (see `turf_assign`)."""
    return may_change(actor, turf.campaign) and not _people_outside(turf, actor).exists()


def _people_outside(turf: Turf, actor: User):
    return Resident.objects.filter(turf=turf).exclude(
        contact__in=contacts_visible_to(actor).values("pk")
    )


@transaction.atomic
def turf_assign(*, turf: Turf, volunteers: list[User], actor: User) -> Turf:
    """The volunteers (a team) who walk this turf; they see its doors, nothing else. Only
    those who may change the campaign assign, and only a turf whose people are all theirs to
    see: assigning hands those people's names and doors to the volunteers."""
    if not turf_may_be_assigned_by(turf=turf, actor=actor):
        raise Http404
    if any(not v.is_volunteer for v in volunteers):
        raise ApplicationError(_("Only volunteers are assigned turfs."), field="volunteers")
    turf.volunteers.set(volunteers)
    return turf


# Visits


@dataclass(frozen=True)
class VisitInput:
    id: uuid.UUID
    door_id: int
    result: str
    visited_at: datetime
    contact_id: int | None = None
    support_level: int | None = None
    wants_to_volunteer: bool = False
    wants_to_give: bool = False
    answers: dict = field(default_factory=dict)
    note: str = ""


@dataclass
class SyncReport:
    recorded: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # known already: nothing done again
    rejected: list[dict] = field(default_factory=list)  # {"id", "reason"}


def visits_record(*, actor: User, turf: Turf, visits: list[VisitInput]) -> SyncReport:
    """Record a batch of visits a phone queued, each once: an id already known (a retry
    after a lost answer, the same result twice in the batch) is reported as a duplicate and
    changes nothing; a visit that cannot be right is rejected with its reason, the others
    are recorded all the same."""
    if not may_walk(actor, turf):
        raise PermissionDenied
    campaign = turf.campaign
    if campaign.status != CanvassCampaign.Status.ACTIVE:
        raise ApplicationError(_("This campaign is not under way."))
    report = SyncReport()
    residents = defaultdict(set)
    # Only people the actor may see can be named behind a door: a staff member walking a
    # turf cut by an admin reaches no one outside their own territory.
    for door_id, contact_id in Resident.objects.filter(
        turf=turf, contact__in=contacts_visible_to(actor).values("pk")
    ).values_list("door_id", "contact_id"):
        residents[door_id].add(contact_id)
    doors = set(Door.objects.filter(turf=turf).values_list("pk", flat=True))
    questions = {str(q.pk): q for q in campaign.questions.all()}
    seen: set[uuid.UUID] = set()
    known = set(Visit.objects.filter(pk__in=[v.id for v in visits]).values_list("pk", flat=True))
    rows: list[Visit] = []
    for item in visits:
        if item.id in seen or item.id in known:
            report.duplicates.append(str(item.id))
            continue
        seen.add(item.id)
        reason = _wrong(
            item, campaign=campaign, doors=doors, residents=residents, questions=questions
        )
        if reason:
            report.rejected.append({"id": str(item.id), "reason": reason})
            continue
        rows.append(
            Visit(
                id=item.id,
                campaign=campaign,
                turf=turf,
                door_id=item.door_id,
                contact_id=item.contact_id,
                volunteer=actor,
                result=item.result,
                support_level=item.support_level,
                wants_to_volunteer=item.wants_to_volunteer,
                wants_to_give=item.wants_to_give,
                answers={k: v for k, v in item.answers.items() if v not in ("", None)},
                note=item.note[:2000],
                visited_at=item.visited_at,
            )
        )
    talked = {code for code, c in campaign.codes.items() if c.get("talked")}
    with transaction.atomic():
        created = Visit.objects.bulk_create(rows, ignore_conflicts=True)
        _follow_up([v for v in rows if v.result in talked])
        _funnel_stages(actor, campaign, rows)
        _announce(campaign, created)
    report.recorded = [str(v.id) for v in created]
    return report


def _wrong(item: VisitInput, *, campaign, doors, residents, questions) -> str:
    if item.door_id not in doors:
        return _("this door is not in the turf")
    if item.contact_id is not None and item.contact_id not in residents[item.door_id]:
        return _("this person does not live behind this door")
    if item.result not in campaign.codes:
        return _("unknown result: %(code)s") % {"code": item.result}
    if item.support_level is not None and not 1 <= item.support_level <= 5:
        return _("the support level goes from 1 to 5")
    if item.visited_at > timezone.now() + timedelta(days=1):
        return _("a visit in the future")
    for key, answer in item.answers.items():
        question = questions.get(str(key))
        if question is None:
            return _("unknown question: %(key)s") % {"key": key}
        if question.kind == Question.Kind.CHOICE and answer and answer not in question.choice_list:
            return _("“%(answer)s” is not an answer to “%(question)s”") % {
                "answer": answer,
                "question": question.text,
            }
    return ""


def _follow_up(visits: list[Visit]) -> None:
    """What a conversation at the door changes for the person: last activity, and the tags
    the funnel reads. A door nobody opened changes nothing."""
    talked = [v for v in visits if v.contact_id]
    if not talked:
        return
    now = timezone.now()
    Contact.objects.filter(pk__in={v.contact_id for v in talked}).update(last_activity_at=now)
    for name, people in (
        (VOLUNTEER_TAG, {v.contact_id for v in talked if v.wants_to_volunteer}),
        (GIVE_TAG, {v.contact_id for v in talked if v.wants_to_give}),
    ):
        if people:
            tag, _created = Tag.objects.get_or_create(name=name)
            Contact.tags.through.objects.bulk_create(
                [Contact.tags.through(contact_id=pk, tag_id=tag.pk) for pk in people],
                ignore_conflicts=True,
            )


def _announce(campaign: CanvassCampaign, visits: list[Visit]) -> None:
    """Webhooks: each door's result, with the person behind it when known."""

    def payloads() -> list[dict]:
        people = Contact.objects.in_bulk([v.contact_id for v in visits if v.contact_id])
        return [
            {
                "canvassing_effort": {
                    "identifiers": [f"terrain:{campaign.pk}"],
                    "title": campaign.name,
                },
                "status_code": v.result,
                "support_level": v.support_level,
                "wants_to_volunteer": v.wants_to_volunteer,
                "action_date": v.visited_at.isoformat(),
                "person": person_brief(people[v.contact_id]) if v.contact_id else None,
            }
            for v in visits
        ]

    webhooks_emit(event=Event.DOOR_RESULT, payloads=payloads)


def _funnel_stages(actor: User, campaign: CanvassCampaign, visits: list[Visit]) -> None:
    """What the doors tell the funnel: support (4 or 5) is engagement, "wants to help" makes
    a volunteer, and the canvasser whose account has a contact is an activist."""
    why = _("Door to door: %(campaign)s") % {"campaign": campaign.name}
    reached: dict[int, list[Reach]] = {
        Stage.ENGAGED: [
            Reach(v.contact_id, v.visited_at, why)
            for v in visits
            if v.contact_id and (v.support_level or 0) >= 4
        ],
        Stage.VOLUNTEER: [
            Reach(v.contact_id, v.visited_at, why)
            for v in visits
            if v.contact_id and v.wants_to_volunteer
        ],
    }
    if actor.contact_id and visits:
        reached[Stage.ACTIVIST] = [Reach(actor.contact_id, min(v.visited_at for v in visits), why)]
    stages_record_many(reached=reached)


def building_not_home(
    *, actor: User, turf: Turf, building: str, key: str, at: datetime | None = None
) -> SyncReport:
    """Nobody answered anywhere in the building: "not home" at each of its doors that has
    no visit today. `key` comes with the form: sent twice, it records once."""
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    visited = Visit.objects.filter(turf=turf, visited_at__date=today).values("door_id")
    doors = Door.objects.filter(turf=turf, building=building).exclude(pk__in=visited)
    visits = [
        VisitInput(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"terrain:not-home:{key}:{pk}"),
            door_id=pk,
            result="not_home",
            visited_at=at,
        )
        for pk in doors.values_list("pk", flat=True)
    ]
    return visits_record(actor=actor, turf=turf, visits=visits)
