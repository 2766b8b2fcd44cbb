"""This app's part of the demo (`seed_demo`): a texting campaign with a batch handed to
benevole, and replies to texts."""

from datetime import time as clock

from campaign.bulk import copy_model_rows, db_datetime
from contacts.demo import DemoSeed
from contacts.models import Consent, Contact, Segment, SegmentMember, Tag

from .models import Inbound, P2PCampaign
from .p2p.services import conversations_assign, conversations_write
from .selectors import sms_reachable


def seed(demo: DemoSeed) -> None:
    """A texting campaign under way, then replies from some of the people who agreed to texts."""
    _texting(demo)
    _replies(demo)


def _texting(demo: DemoSeed) -> None:
    """A texting campaign under way, with a batch already handed to the volunteer."""
    if P2PCampaign.objects.exists():
        return
    segment = Segment.objects.create(
        name="Démo : conversations SMS",
        description="Démo : 200 personnes qui ont accepté les SMS, pour des conversations.",
        is_static=True,
    )
    people = sms_reachable(Contact.objects.all()).order_by("pk").values_list("pk", flat=True)
    SegmentMember.objects.bulk_create(
        SegmentMember(segment=segment, contact_id=pk) for pk in people[:200]
    )
    campaign = P2PCampaign.objects.create(
        name="Rassemblement du 12 : qui vient ?",
        segment=segment,
        script=(
            "Bonjour {prenom}, c'est l'équipe Terrain. Un rassemblement a lieu samedi 12 "
            "à 14h place de la mairie. Vous pensez venir ?"
        ),
        batch_size=20,
        quiet_start=clock(21),
        quiet_end=clock(9),
        status=P2PCampaign.Status.ACTIVE,
        started_at=demo.now,
        created_by=demo.admin,
        started_by=demo.admin,  # the whole campaign's (no territory): its people are admin's
    )
    campaign.canned.create(title="Merci", body="Merci {prenom} ! À samedi.", position=0)
    campaign.canned.create(
        title="Pas disponible",
        body="Pas de souci {prenom}, merci de votre réponse. Bonne journée !",
        position=1,
    )
    campaign.questions.create(
        text="Viendra au rassemblement ?", choices="Oui\nNon\nPeut-être", position=0
    )
    campaign.tags.set(Tag.objects.filter(name__in=["bénévole"]))
    conversations_write(campaign_id=campaign.pk)
    conversations_assign(campaign=campaign, volunteer=demo.volunteer, count=20, actor=demo.admin)


def _replies(demo: DemoSeed) -> None:
    """About one in twelve of the people who agreed to texts answered one."""
    if Inbound.objects.filter(sid__startswith="SMdemo").exists():
        return
    texted = Consent.objects.filter(channel="sms", status="granted")
    copy_model_rows(
        Inbound,
        ["sid", "from_number", "to_number", "body", "kind", "contact_id", "received_at"],
        (
            (
                f"SMdemo{pk}",
                "",
                "",
                "Oui, je viendrai",
                "reply",
                pk,
                db_datetime(demo.later(at, 30)),
            )
            for pk, at in texted.values_list("contact_id", "contact__source_at")
            if demo.rng.random() < 0.08
        ),
    )
