"""The funnel: each stage is reached by what people do, recorded when they do it, and the
dashboard counts people, conversions, cohorts and delays that one can check by hand."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaign.models import User
from contacts import services
from contacts.funnel.selectors import Period, funnel_dashboard
from contacts.funnel.services import stage_reach
from contacts.funnel.stages import Stage
from contacts.funnel.summaries import funnel_refresh
from contacts.models import Contact, FunnelEntry, Source, StageEvent
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def noon(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 12, tzinfo=PARIS)


def stages_of(contact: Contact) -> set[str]:
    return {Stage(s).name.lower() for s in contact.stage_events.values_list("stage", flat=True)}


def person(first: str, *, at: datetime, source=Source.MANUAL, detail="", insee="69381", **kw):
    return services.contact_create(
        actor=None,
        source=source,
        source_detail=detail,
        source_at=at,
        first_name=first,
        last_name="Martin",
        insee_code=insee,
        postal_code="69001" if insee == "69381" else "75011",
        bureau_code=f"{insee}-0001",
        **kw,
    )


# What makes each stage ------------------------------------------------------------------


def test_a_person_is_acquired_when_first_known_and_reachable_when_they_consent():
    lea = person("Léa", at=noon(3, 3))
    hugo = person("Hugo", at=noon(3, 4))
    services.consent_set(
        contact=lea,
        channel="sms",
        status="granted",
        source="manual",
        actor=None,
        occurred_at=noon(3, 5),
    )
    services.consent_set(
        contact=hugo, channel="email", status="withdrawn", source="manual", actor=None
    )

    assert lea.stage_events.get(stage=Stage.ACQUIRED).at == noon(3, 3)
    assert lea.stage_events.get(stage=Stage.REACHABLE).at == noon(3, 5)
    assert stages_of(hugo) == {"acquired"}


def test_a_reply_to_a_text_engages_but_stop_does_not(lyon_contact, paris_contact):
    from actions.sms.services.inbound import inbound_receive

    inbound_receive(sid="SM1", from_number="+33612345678", to_number="", body="Oui, je viens")
    inbound_receive(sid="SM2", from_number="+33798765432", to_number="", body="STOP")

    assert "engaged" in stages_of(lyon_contact)
    assert "engaged" not in stages_of(paris_contact)
    from contacts.timeline import timeline_for

    shown = [(e.title, e.detail) for e in timeline_for(lyon_contact) if e.kind == "stage"]
    assert shown == [("Étape de l’entonnoir atteinte : Engagé", "A répondu à un SMS")]


def test_a_signature_engages_someone_already_known_not_the_newcomer_it_brings(
    lyon_contact, eager_tasks
):
    from actions.petitions.models import PendingSignature, Petition
    from actions.petitions.signatures import pending_signatures_merge

    water = Petition.objects.create(
        slug="eau", title="Eau", text="…", status=Petition.Status.PUBLISHED
    )
    for email, first in (("lea.garnier@example.fr", "Léa"), ("nina@example.fr", "Nina")):
        PendingSignature.objects.create(
            petition=water, email=email, first_name=first, last_name="G", postal_code="69001"
        )
    pending_signatures_merge()

    nina = Contact.objects.get(first_name="Nina")
    assert "engaged" in stages_of(lyon_contact)
    assert stages_of(nina) == {"acquired"}
    assert nina.stage_events.get().why == "Pétition · Eau"


def test_the_door_engages_supporters_makes_volunteers_and_the_canvasser_an_activist(
    admin_user, volunteer
):
    import uuid

    from actions.canvassing import services as canvassing
    from actions.canvassing.models import Door

    today = timezone.localdate()
    campaign = canvassing.canvass_campaign_save(
        actor=admin_user, name="Municipales", starts_on=today, ends_on=today
    )
    canvassing.canvass_campaign_set_status(campaign=campaign, actor=admin_user, status="active")
    fan = person("Fanny", at=noon(3, 3), street="1 rue Terme")
    lukewarm = person("Gilles", at=noon(3, 3), street="2 rue Terme")
    helper = person("Hélène", at=noon(3, 3), street="3 rue Terme")
    lucas = person("Lucas", at=noon(3, 3), insee="75111")  # the canvasser, as a contact
    volunteer.contact = lucas
    volunteer.save()
    services.volunteer_account_linked(user=volunteer)
    turf = canvassing.turfs_cut(
        campaign=campaign, actor=admin_user, name="Terme", kind="commune", values=["69381"]
    )[0]
    canvassing.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door_of = {
        r.contact_id: r.door_id for d in Door.objects.filter(turf=turf) for r in d.residents.all()
    }
    now = datetime.now(tz=PARIS)

    def visit(contact, **answers):
        return canvassing.VisitInput(
            id=uuid.uuid4(),
            door_id=door_of[contact.pk],
            contact_id=contact.pk,
            result="talked",
            visited_at=now,
            **answers,
        )

    canvassing.visits_record(
        actor=volunteer,
        turf=turf,
        visits=[
            visit(fan, support_level=5),
            visit(lukewarm, support_level=3),
            visit(helper, wants_to_volunteer=True),
        ],
    )

    assert stages_of(fan) == {"acquired", "engaged"}
    assert stages_of(lukewarm) == {"acquired"}
    assert stages_of(helper) == {"acquired", "volunteer"}
    assert FunnelEntry.objects.get(contact=helper).engaged_at == now  # volunteering engages
    assert stages_of(lucas) == {"acquired", "volunteer", "activist"}
    assert FunnelEntry.objects.get(contact=lucas).volunteer_at == volunteer.date_joined


@pytest.fixture
def entity(db):
    return EntityFactory(capped=True)


def test_a_received_gift_makes_a_donor_and_a_pledge_only_once_paid(
    lyon_contact, paris_contact, entity
):
    from actions.donations.services import donation_paid, donation_record

    gift = dict(
        entity=entity,
        amount_cents=2_000,
        natural_person=True,
        french_or_resident=True,
        online=False,
    )
    donation_record(contact=lyon_contact, method="card", received_on=date(2025, 3, 7), **gift)
    pledge = donation_record(
        contact=paris_contact,
        method="cheque",
        received_on=date(2025, 3, 8),
        status="pledged",
        **gift,
    ).donation

    assert lyon_contact.stage_events.get(stage=Stage.DONOR).at == datetime(
        2025, 3, 7, 12, tzinfo=ZoneInfo("UTC")
    )
    assert "donor" not in stages_of(paris_contact)
    donation_paid(donation=pledge, actor=None)
    assert "donor" in stages_of(paris_contact)


def test_a_merge_keeps_every_stage_either_person_reached_at_the_earlier_time(admin_user):
    kept = person("Anna", at=noon(3, 10))
    dropped = person("Anna", at=noon(3, 3))
    stage_reach(contact_id=dropped.pk, stage=Stage.DONOR, at=noon(3, 5))
    stage_reach(contact_id=kept.pk, stage=Stage.ENGAGED, at=noon(3, 12))

    from contacts.dedupe.services import contact_merge

    contact_merge(keep=kept, drop=dropped, actor=admin_user)

    entry = FunnelEntry.objects.get(contact=kept)
    assert entry.acquired_at == noon(3, 3)  # the first time we heard of the person
    assert entry.donor_at == noon(3, 5)
    assert entry.engaged_at == noon(3, 5)  # giving engaged them before their reply
    assert not StageEvent.objects.filter(contact_id=dropped.pk).exists()


def test_the_rebuild_finds_from_the_tables_what_was_recorded_as_it_happened(lyon_contact):
    from actions.sms.services.inbound import inbound_receive

    services.consent_set(
        contact=lyon_contact, channel="email", status="granted", source="manual", actor=None
    )
    inbound_receive(sid="SM1", from_number="+33612345678", to_number="", body="D'accord")
    recorded = set(StageEvent.objects.values_list("contact_id", "stage", "at"))
    StageEvent.objects.all().delete()
    FunnelEntry.objects.all().delete()

    call_command("rebuild_funnel", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(StageEvent.objects.values_list("contact_id", "stage", "at")) == recorded
    assert FunnelEntry.objects.get(contact=lyon_contact).engaged_at is not None


# The dashboard, on people one can count by hand -----------------------------------------


@pytest.fixture
def march(db):
    """Five people acquired in March 2025; three in Lyon 1er, two in Paris 11e.

    Ana    petition, Mon 3: consents the same day, replies on the 6th, gives on the 20th.
    Bob    import, Tue 4: consents on the 5th, replies on the 15th.
    Chloé  petition, Wed 5: gives on the 7th (and so is engaged), never consents.
    David  import, Thu 6 (Paris): nothing more.
    Emma   door, Mon 10 (Paris): wants to help the same day, knocks on doors on the 29th.
    """
    ana = person("Ana", at=noon(3, 3), source=Source.PETITION, detail="Eau")
    bob = person("Bob", at=noon(3, 4), source=Source.IMPORT, detail="fichier.csv")
    chloe = person("Chloé", at=noon(3, 5), source=Source.PETITION, detail="Eau")
    person("David", at=noon(3, 6), source=Source.IMPORT, detail="fichier.csv", insee="75111")
    emma = person("Emma", at=noon(3, 10), source=Source.CANVASS, insee="75111")
    for who, stage, at in (
        (ana, Stage.REACHABLE, noon(3, 3)),
        (ana, Stage.ENGAGED, noon(3, 6)),
        (ana, Stage.DONOR, noon(3, 20)),
        (bob, Stage.REACHABLE, noon(3, 5)),
        (bob, Stage.ENGAGED, noon(3, 15)),
        (chloe, Stage.DONOR, noon(3, 7)),
        (emma, Stage.VOLUNTEER, noon(3, 10)),
        (emma, Stage.ACTIVIST, noon(3, 29)),
    ):
        stage_reach(contact_id=who.pk, stage=stage, at=at)
    funnel_refresh()


MARCH = Period(first=date(2025, 3, 1), last=date(2025, 3, 31))


def stage_table(dashboard):
    return [
        (row.stage.name.lower(), row.count, row.conversion, row.median_days)
        for row in dashboard.stages
    ]


def test_the_ladder_counts_people_conversions_and_median_delays(march, admin_user):
    dashboard = funnel_dashboard(user=admin_user, period=MARCH)

    assert stage_table(dashboard) == [
        ("acquired", 5, None, None),
        ("reachable", 2, 2 / 5, 0.5),  # Ana the same day, Bob a day later
        ("engaged", 4, 2 / 2, 6.5),  # Ana 3 days, Bob 10; Chloé and Emma not reachable
        ("donor", 2, 2 / 4, 7.0),  # of the engaged Ana, Bob, Chloé, Emma; Ana 14 d, Chloé 0
        ("volunteer", 1, 0 / 2, None),  # Emma gave nothing
        ("activist", 1, 1 / 1, 14.0),  # 19 days: beyond two weeks, counted by the week
    ]


def test_each_source_shows_how_far_its_people_went(march, admin_user):
    dashboard = funnel_dashboard(user=admin_user, period=MARCH)

    rows = {
        row.label: (row.acquired, [n for n, _share in row.reached]) for row in dashboard.sources
    }
    assert rows == {
        "Pétition · Eau": (2, [1, 2, 2, 0, 0]),
        "Import de fichier · fichier.csv": (2, [1, 1, 0, 0, 0]),
        "Porte-à-porte": (1, [0, 1, 0, 1, 1]),
    }


def test_weekly_cohorts_show_the_share_at_a_stage_after_1_2_4_and_8_weeks(march, admin_user):
    dashboard = funnel_dashboard(user=admin_user, period=MARCH, cohort_stage=Stage.ENGAGED)

    assert [(c.week, c.size, c.shares, c.ever) for c in dashboard.cohorts] == [
        (date(2025, 3, 10), 1, [1.0, 1.0, 1.0, 1.0], 1.0),
        # Ana in 3 days, Chloé in 2, Bob in 11, David never
        (date(2025, 3, 3), 4, [0.5, 0.75, 0.75, 0.75], 0.75),
    ]


def test_a_period_counts_only_the_people_acquired_in_it(march, admin_user):
    second_week = Period(first=date(2025, 3, 10), last=date(2025, 3, 16))

    dashboard = funnel_dashboard(user=admin_user, period=second_week)

    assert [row.count for row in dashboard.stages] == [1, 0, 1, 0, 1, 1]  # Emma alone


def test_an_organizer_sees_the_funnel_of_their_territories_only(march, organizer_lyon, paris_11e):
    dashboard = funnel_dashboard(user=organizer_lyon, period=MARCH)
    assert not dashboard.live  # read from the summary rows of Lyon 1er
    assert [row.count for row in dashboard.stages] == [3, 2, 3, 2, 0, 0]  # Ana, Bob, Chloé

    # a territory that is not theirs is not offered, and changes nothing
    from contacts.funnel.forms import FunnelFilterForm
    from contacts.scope import territories_visible_to

    form = FunnelFilterForm(
        {"territory": paris_11e.pk}, territories=territories_visible_to(organizer_lyon)
    )
    assert not form.is_valid() and form.chosen_territory() is None


def organizer_of(*codes: str) -> User:
    """An organizer of polling stations: the tables are not kept per station, so their
    funnel is counted live, person by person."""
    from campaign.models import Territory

    user = User.objects.create_user(username="-".join(codes), role=User.Role.ORGANIZER)
    user.territories.set(
        [
            Territory.objects.get_or_create(kind="bureau", code=code, defaults={"name": code})[0]
            for code in codes
        ]
    )
    return user


def test_the_summary_tables_and_a_live_count_agree(march, admin_user, organizer_lyon):
    every_station = organizer_of("69381-0001", "75111-0001")
    lyon_station = organizer_of("69381-0001")

    for from_tables, counted_live in (
        (
            funnel_dashboard(user=admin_user, period=MARCH),
            funnel_dashboard(user=every_station, period=MARCH),
        ),
        (
            funnel_dashboard(user=organizer_lyon, period=MARCH),
            funnel_dashboard(user=lyon_station, period=MARCH),
        ),
    ):
        assert not from_tables.live and counted_live.live
        assert stage_table(from_tables) == stage_table(counted_live)
        assert from_tables.sources == counted_live.sources
        assert from_tables.cohorts == counted_live.cohorts


def test_activity_counts_new_people_and_gifts_with_their_amounts(march, admin_user, entity):
    from actions.donations.services import donation_record

    for contact, amount in zip(Contact.objects.order_by("pk")[:2], (2_000, 5_000), strict=True):
        donation_record(
            entity=entity,
            contact=contact,
            amount_cents=amount,
            method="card",
            received_on=date(2025, 3, 12),
            natural_person=True,
            french_or_resident=True,
            online=False,
        )
    funnel_refresh(full=True)

    dashboard = funnel_dashboard(user=admin_user, period=MARCH)

    by_key = {row.key: row for row in dashboard.activity}
    assert dashboard.bucket == "day"
    assert by_key["new_contacts"].total == 5
    assert (by_key["gifts"].total, by_key["gifts"].total_cents) == (2, 7_000)
    assert [(d, n) for d, n, _c in by_key["gifts"].buckets if n] == [(date(2025, 3, 12), 2)]


def test_a_new_action_reaches_the_whole_campaign_view_at_the_next_refresh(march, admin_user):
    david = Contact.objects.get(first_name="David")
    stage_reach(contact_id=david.pk, stage=Stage.REACHABLE, at=noon(3, 8))
    assert funnel_dashboard(user=admin_user, period=MARCH).stages[1].count == 2

    funnel_refresh()

    assert funnel_dashboard(user=admin_user, period=MARCH).stages[1].count == 3


def test_a_merge_counts_again_the_week_the_merged_person_was_counted_in(march, admin_user):
    from contacts.dedupe.services import contact_merge

    david, emma = Contact.objects.get(first_name="David"), Contact.objects.get(first_name="Emma")
    contact_merge(keep=emma, drop=david, actor=admin_user)
    funnel_refresh()

    dashboard = funnel_dashboard(user=admin_user, period=MARCH)
    # Emma now counts from David's week, and hers is empty
    assert [(c.week, c.size) for c in dashboard.cohorts] == [(date(2025, 3, 3), 4)]
    assert dashboard.stages[0].count == 4


def test_the_dashboard_takes_the_same_number_of_queries_however_many_people(
    march, admin_user, organizer_lyon, django_assert_num_queries
):
    station = organizer_of("69381-0001")

    def both():
        with django_assert_num_queries(5):  # three summaries, activity, refresh time
            funnel_dashboard(user=admin_user, period=MARCH)
        with django_assert_num_queries(6):  # and their territories
            funnel_dashboard(user=organizer_lyon, period=MARCH)
        # a polling station: territories (twice), the people, their entries, and one query
        # per activity figure
        with django_assert_num_queries(10):
            funnel_dashboard(user=station, period=MARCH)

    both()
    for i in range(40):
        who = person(f"P{i}", at=noon(3, 1 + i % 28), source=Source.IMPORT, detail=f"f{i % 7}")
        stage_reach(contact_id=who.pk, stage=Stage.REACHABLE + i % 5, at=noon(3, 2 + i % 28))
    funnel_refresh()
    both()


def test_the_home_page_shows_the_funnel_with_its_definitions_and_exports_csv(
    march, client_as, admin_user
):
    client = client_as(admin_user)
    page = client.get(
        reverse("home"), {"range": "custom", "start": "2025-03-01", "end": "2025-03-31"}
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "A donné son accord pour être contacté sur au moins un canal." in html
    assert "<svg" in html and "Pétition · Eau" in html

    export = client.get(
        reverse("funnel:export", args=["stages"]),
        {"range": "custom", "start": "2025-03-01", "end": "2025-03-31"},
    )
    lines = export.content.decode().splitlines()
    assert export["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("stage,people,")
    assert lines[1].split(",")[:2] == ["Acquis", "5"]
    assert client.get(reverse("funnel:export", args=["nothing"])).status_code == 404


def test_a_volunteer_has_no_dashboard(client_as, volunteer):
    client = client_as(volunteer)
    assert "funnel" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("funnel:export", args=["stages"])).status_code == 403
