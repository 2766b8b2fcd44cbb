"""This app's part of the demo (`seed_demo`): two published petitions and their signatures."""

from datetime import timedelta

from django.utils import timezone

from campaign.bulk import copy_model_rows, db_datetime
from contacts.demo import DemoSeed
from contacts.models import Contact, Source

from .models import Petition, Signature

SIGNATURE_COLUMNS = [
    "petition_id",
    "contact_id",
    "signed_at",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "referrer",
    "embedded",
    "answers",
    "confirmed_at",
    "pending_consents",
]


def seed(demo: DemoSeed) -> None:
    """The petition the demo's petition contacts came from, then a second one signed by
    people already known (what makes the funnel worth reading)."""
    _first_petition(demo)
    _second_petition(demo)


def _first_petition(demo: DemoSeed) -> None:
    """A published petition, signed by the demo contacts who came from a petition."""
    petition, _ = Petition.objects.get_or_create(
        slug="transports-gratuits",
        defaults={
            "title": "Des transports en commun gratuits pour les moins de 26 ans",
            "target": "La Métropole de Lyon",
            "text": (
                "Chaque jour, des jeunes renoncent à se déplacer faute de moyens.\n\n"
                "**Nous demandons :**\n\n- la gratuité des transports pour les moins de 26 ans ;\n"
                "- un tarif solidaire pour toutes et tous.\n\nSignez, puis partagez autour de vous !"
            ),
            "goal": 5000,
            "status": Petition.Status.PUBLISHED,
            "published_at": timezone.now(),
            "questions": [{"label": "Quelle ligne prenez-vous le plus ?", "required": False}],
            "next_step": Petition.NextStep.VOLUNTEER,
            "next_step_url": "https://example.org/benevoles",
        },
    )
    signers = Contact.objects.filter(source=Source.PETITION).exclude(signatures__petition=petition)
    sources = ["", "whatsapp", "facebook", "newsletter", "x"]
    rng = demo.rng
    copy_model_rows(
        Signature,
        SIGNATURE_COLUMNS,
        (
            (
                petition.pk,
                cid,
                db_datetime(at),
                rng.choice(sources),
                "",
                "",
                "",
                rng.random() < 0.1,
                "{}",
                db_datetime(at),
                "[]",
            )
            for cid, at in signers.values_list("pk", "source_at").iterator(chunk_size=5000)
        ),
    )


def _second_petition(demo: DemoSeed) -> None:
    """A second petition, signed through the newsletter by about one person in eight."""
    if Petition.objects.filter(slug="piscine-municipale").exists():
        return
    pool = Petition.objects.create(
        slug="piscine-municipale",
        title="Sauvons la piscine municipale",
        target="Le conseil municipal",
        text="La piscine ferme l'été prochain. **Signez pour qu'elle reste ouverte.**",
        goal=1000,
        status=Petition.Status.PUBLISHED,
        published_at=demo.now - timedelta(days=120),
    )
    # By id: the same seed makes the same signers whatever the other apps did to the rows
    # (PostgreSQL returns an updated row later when no order is asked for).
    people = Contact.objects.filter(erased_at__isnull=True).order_by("pk")
    copy_model_rows(
        Signature,
        SIGNATURE_COLUMNS,
        (
            (
                pool.pk,
                pk,
                db_datetime(when),
                "newsletter",
                "",
                "",
                "",
                False,
                "{}",
                db_datetime(when),
                "[]",
            )
            for pk, at in people.values_list("pk", "source_at")
            if demo.rng.random() < 0.12
            for when in [demo.later(at, 60)]
        ),
    )
