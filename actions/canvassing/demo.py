"""This app's part of the demo (`seed_demo`): a door-to-door campaign in Lyon 1er, its first
turf walked by benevole."""

import uuid
from datetime import timedelta

from django.utils import timezone

from campaign.exceptions import ApplicationError
from campaign.models import Territory
from contacts import services
from contacts.demo import DemoSeed
from contacts.models import Contact, Source

from .models import CanvassCampaign, Door, Turf
from .services import (
    VisitInput,
    canvass_campaign_save,
    canvass_campaign_set_status,
    turf_assign,
    turfs_cut,
    visits_record,
)


def seed(demo: DemoSeed) -> None:
    """A door-to-door campaign under way, and the doors benevole knocked on."""
    if CanvassCampaign.objects.exists():
        return
    _campaign(demo)
    _doors_knocked(demo)


def _campaign(demo: DemoSeed) -> None:
    """A canvassing campaign under way in Lyon 1er, its first turf walked by benevole."""
    # A few neighbours of Lyon 1er share buildings, with and without flat numbers, as
    # in a real electoral list: walk lists then have buildings with several doors.
    lyon = list(Contact.objects.filter(insee_code="69381").order_by("pk")[:12])
    for i, contact in enumerate(lyon):
        building = ("3 rue Terme", "14 rue d'Algérie", "8 bis rue Sainte-Catherine")[i % 3]
        flat = f", Apt {i + 1}" if i % 2 else ""
        Contact.objects.filter(pk=contact.pk).update(street=building + flat)
    today = timezone.localdate()
    campaign = canvass_campaign_save(
        actor=demo.admin,
        name="Porte-à-porte des municipales",
        starts_on=today,
        ends_on=today + timedelta(days=60),
        # Lyon 1er's: its organizers run it (campaign.ownership), as they would.
        territory=Territory.objects.filter(kind=Territory.Kind.COMMUNE, code="69381").first(),
    )
    canvass_campaign_set_status(campaign=campaign, actor=demo.admin, status="active")
    try:
        turfs = turfs_cut(
            campaign=campaign,
            actor=demo.admin,
            name="Lyon 1er",
            kind="commune",
            values=["69381"],
            max_doors=40,
        )
    except ApplicationError:  # no contact there (a tiny demo)
        return
    turf_assign(turf=turfs[0], volunteers=[demo.volunteer], actor=demo.admin)


def _doors_knocked(demo: DemoSeed) -> None:
    """benevole, whose account now names their own contact, knocks on most doors of
    their turf: support levels, a few who want to help."""
    rng = demo.rng
    volunteer = demo.volunteer
    if volunteer.contact_id is None:
        volunteer.contact = services.contact_create(
            actor=None,
            source=Source.MANUAL,
            source_detail="Compte bénévole",
            first_name=volunteer.first_name,
            last_name=volunteer.last_name,
            emails=[services.EmailInput(address=volunteer.email)],
        )
        volunteer.save(update_fields=["contact"])
        services.volunteer_account_linked(user=volunteer)
    turf = Turf.objects.filter(volunteers=volunteer).first()
    if turf is None:
        return
    visits = []
    for door in Door.objects.filter(turf=turf).prefetch_related("residents"):
        if rng.random() < 0.3:
            continue
        resident = next(iter(door.residents.all()), None)
        talker = resident if resident is not None and rng.random() < 0.7 else None
        talked = talker is not None
        visits.append(
            VisitInput(
                id=uuid.uuid4(),
                door_id=door.pk,
                result="talked" if talked else "not_home",
                contact_id=talker.contact_id if talker else None,
                support_level=rng.choice([2, 3, 4, 4, 5, 5]) if talked else None,
                wants_to_volunteer=talked and rng.random() < 0.2,
                visited_at=demo.now - timedelta(days=rng.randint(0, 12)),
            )
        )
    visits_record(actor=volunteer, turf=turf, visits=visits)
