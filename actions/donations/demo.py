"""This app's part of the demo (`seed_demo`): a candidate's campaign with a published
fundraising page, a few gifts today and more over the months."""

from django.utils import timezone

from contacts.demo import DemoSeed
from contacts.models import Contact, Source

from .models import Drive, Entity
from .services import donation_record


def seed(demo: DemoSeed) -> None:
    """A candidate's campaign and its fundraising page, with its gifts."""
    if Entity.objects.exists():
        return
    drive = _drive()
    _first_gifts(drive)
    _gifts_over_time(demo, drive)


def _drive() -> Drive:
    """A candidate's campaign with a published fundraising page."""
    entity = Entity.objects.create(
        name="Campagne municipale 2026",
        kind=Entity.Kind.CANDIDATE,
        election="Municipales 2026, Lyon",
        spending_limit_cents=6_000_000,
    )
    return Drive.objects.create(
        entity=entity,
        slug="municipales-2026",
        title="Financez une campagne qui vous ressemble",
        story=(
            "Pas de grands donateurs : **vous**. Chaque don finance les tracts, "
            "les réunions publiques et le porte-à-porte.\n\n- 20 € : 1 000 tracts\n"
            "- 50 € : une salle pour une réunion publique"
        ),
        goal_cents=2_000_000,
        status=Drive.Status.PUBLISHED,
    )


def _first_gifts(drive: Drive) -> None:
    """A few gifts received today from people of the electoral list."""
    amounts = [2_000, 3_500, 5_000, 3_500, 10_000, 2_500, 15_000, 3_000]
    donors = Contact.objects.filter(source=Source.IMPORT).order_by("pk")[: len(amounts)]
    for contact, amount in zip(donors, amounts, strict=False):
        donation_record(
            entity=drive.entity,
            contact=contact,
            amount_cents=amount,
            method="card" if amount < 10_000 else "cheque",
            received_on=timezone.localdate(),
            natural_person=True,
            french_or_resident=True,
            online=False,
            note="demo",
            stored={"drive": drive},
        )


def _gifts_over_time(demo: DemoSeed, drive: Drive) -> None:
    """Gifts through the months from a few of the people (by hand: cheques, cards)."""
    rng = demo.rng
    donors = Contact.objects.filter(erased_at__isnull=True).order_by("?")[:150]
    for contact in donors:
        donation_record(
            entity=drive.entity,
            contact=contact,
            amount_cents=rng.choice([1_000, 2_000, 2_000, 3_500, 5_000, 10_000]),
            method=rng.choice(["card", "card", "cheque", "transfer"]),
            received_on=timezone.localtime(demo.later(contact.source_at, 90)).date(),
            natural_person=True,
            french_or_resident=True,
            online=False,
            note="demo",
            stored={"drive": drive},
        )
