"""Whose a door-to-door campaign is: its territory's organizers and the admins change it
(script, status, turfs, assignments); anyone else gets a 404 and nothing changes."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.canvassing import services
from actions.canvassing.models import CanvassCampaign, Door, Turf, Visit
from campaign.exceptions import ApplicationError
from contacts import services as contact_services
from contacts.models import Source

pytestmark = pytest.mark.django_db


def neighbour(first, street, *, insee, postal):
    return contact_services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name=first,
        last_name="Voisin",
        street=street,
        postal_code=postal,
        insee_code=insee,
    )


@pytest.fixture
def lyon_people(db):
    return [
        neighbour(n, f"{i} rue Terme", insee="69381", postal="69001")
        for i, n in enumerate(["Anna", "Bruno", "Chloé"], start=1)
    ]


@pytest.fixture
def paris_people(db):
    return [neighbour("Hugo", "4 rue Oberkampf", insee="75111", postal="75011")]


def a_campaign(actor, territory, name="Municipales"):
    campaign = services.canvass_campaign_save(
        actor=actor,
        name=name,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
        territory=territory,
    )
    return services.canvass_campaign_set_status(campaign=campaign, actor=actor, status="active")


@pytest.fixture
def lyon_campaign(admin_user, lyon_1er, lyon_people):
    return a_campaign(admin_user, lyon_1er, "Lyon")


@pytest.fixture
def national_campaign(admin_user, lyon_people):
    return a_campaign(admin_user, None, "National")


def test_an_organizer_cannot_close_another_territorys_campaign(
    client_as, lyon_campaign, organizer_paris
):
    url = reverse("canvassing:action", args=[lyon_campaign.pk, "close"])

    assert client_as(organizer_paris).post(url).status_code == 404
    lyon_campaign.refresh_from_db()
    assert lyon_campaign.status == CanvassCampaign.Status.ACTIVE


def test_an_organizer_cannot_even_open_another_territorys_campaign(
    client_as, lyon_campaign, organizer_paris
):
    url = reverse("canvassing:detail", args=[lyon_campaign.pk])

    assert client_as(organizer_paris).get(url).status_code == 404


def test_an_organizer_reads_a_whole_campaign_canvass_but_cannot_change_its_script(
    client_as, national_campaign, organizer_lyon
):
    client = client_as(organizer_lyon)
    edit = reverse("canvassing:edit", args=[national_campaign.pk])

    assert client.get(reverse("canvassing:detail", args=[national_campaign.pk])).status_code == 200
    answer = client.post(
        edit, {"name": "Renamed", "starts_on": "2026-12-01", "ends_on": "2026-12-31"}
    )

    assert answer.status_code == 404
    national_campaign.refresh_from_db()
    assert national_campaign.name == "National"


def test_an_organizer_cannot_cut_turfs_in_a_campaign_that_is_not_theirs(
    client_as, national_campaign, organizer_lyon
):
    answer = client_as(organizer_lyon).post(
        reverse("canvassing:action", args=[national_campaign.pk, "cut"]),
        {"name": "Terme", "kind": "postal_code", "values": "69001"},
    )

    assert answer.status_code == 404
    assert not Turf.objects.exists()


def test_an_organizer_cannot_hand_volunteers_a_turf_with_people_outside_their_territory(
    client_as, lyon_campaign, admin_user, organizer_lyon, volunteer, paris_people
):
    # An admin cut a turf of Lyon's campaign that also holds a Paris household.
    turf = services.turfs_cut(
        campaign=lyon_campaign,
        actor=admin_user,
        name="Mixte",
        kind="postal_code",
        values=["69001", "75011"],
    )[0]

    answer = client_as(organizer_lyon).post(
        reverse("canvassing:turf", args=[turf.pk]), {"volunteers": [volunteer.pk]}
    )

    assert answer.status_code == 404
    assert not turf.volunteers.exists()


def test_an_organizer_assigns_a_turf_of_their_own_campaign(
    client_as, organizer_lyon, volunteer, lyon_people, lyon_1er
):
    campaign = a_campaign(organizer_lyon, lyon_1er)
    turf = services.turfs_cut(
        campaign=campaign, actor=organizer_lyon, name="T", kind="postal_code", values=["69001"]
    )[0]

    answer = client_as(organizer_lyon).post(
        reverse("canvassing:turf", args=[turf.pk]), {"volunteers": [volunteer.pk]}
    )

    assert answer.status_code == 302
    assert list(turf.volunteers.all()) == [volunteer]


def test_only_volunteers_are_given_a_turf(lyon_campaign, admin_user, organizer_paris):
    turf = services.turfs_cut(
        campaign=lyon_campaign, actor=admin_user, name="T", kind="postal_code", values=["69001"]
    )[0]

    with pytest.raises(ApplicationError):
        services.turf_assign(turf=turf, volunteers=[organizer_paris], actor=admin_user)
    assert not turf.volunteers.exists()


def test_an_organizers_new_campaign_is_their_territorys(organizer_lyon, lyon_1er):
    campaign = services.canvass_campaign_save(
        actor=organizer_lyon,
        name="Porte",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )

    assert campaign.territory == lyon_1er


def test_an_organizer_cannot_give_a_campaign_to_another_territory(organizer_lyon, paris_11e):
    with pytest.raises(ApplicationError):
        services.canvass_campaign_save(
            actor=organizer_lyon,
            name="Porte",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            territory=paris_11e,
        )
    assert not CanvassCampaign.objects.exists()


def test_staff_walking_a_mixed_turf_record_nothing_about_people_outside_their_scope(
    lyon_campaign, admin_user, organizer_lyon, paris_people
):
    turf = services.turfs_cut(
        campaign=lyon_campaign,
        actor=admin_user,
        name="Mixte",
        kind="postal_code",
        values=["69001", "75011"],
    )[0]
    hugo = paris_people[0]
    door = Door.objects.get(turf=turf, residents__contact=hugo)

    report = services.visits_record(
        actor=organizer_lyon,
        turf=turf,
        visits=[
            services.VisitInput(
                id=uuid.uuid4(),
                door_id=door.pk,
                contact_id=hugo.pk,
                result="talked",
                support_level=5,
                wants_to_volunteer=True,
                visited_at=timezone.now(),
            )
        ],
    )

    assert report.recorded == [] and len(report.rejected) == 1
    assert not Visit.objects.exists()
    hugo.refresh_from_db()
    assert not hugo.tags.exists()


def test_a_volunteer_records_nothing_at_a_door_of_a_turf_not_theirs(
    client_as, lyon_campaign, admin_user, volunteer
):
    turf = services.turfs_cut(
        campaign=lyon_campaign, actor=admin_user, name="T", kind="postal_code", values=["69001"]
    )[0]
    door = Door.objects.filter(turf=turf).first()
    client = client_as(volunteer)

    at_door = client.post(
        reverse("canvassing:door", args=[turf.pk, door.pk]),
        {"id": str(uuid.uuid4()), "result": "talked"},
    )
    building = client.post(
        reverse("canvassing:not_home", args=[turf.pk]), {"building": door.building}
    )

    assert (at_door.status_code, building.status_code) == (404, 404)
    assert not Visit.objects.exists()


def test_a_volunteer_no_longer_reads_a_turf_once_its_campaign_is_closed(
    client_as, lyon_campaign, admin_user, volunteer
):
    turf = services.turfs_cut(
        campaign=lyon_campaign, actor=admin_user, name="T", kind="postal_code", values=["69001"]
    )[0]
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    client = client_as(volunteer)
    assert client.get(reverse("canvassing:api_walk", args=[turf.pk])).status_code == 200

    services.canvass_campaign_set_status(campaign=lyon_campaign, actor=admin_user, status="closed")

    assert client.get(reverse("canvassing:walk", args=[turf.pk])).status_code == 404
    assert client.get(reverse("canvassing:api_walk", args=[turf.pk])).status_code == 404


@pytest.fixture
def mixed_turf(national_campaign, admin_user, paris_people):
    """A turf an admin cut across Lyon and Paris, with a Paris person's answer at the door."""
    turf = services.turfs_cut(
        campaign=national_campaign,
        actor=admin_user,
        name="Mixte",
        kind="postal_code",
        values=["69001", "75011"],
    )[0]
    hugo = paris_people[0]
    door = Door.objects.get(turf=turf, residents__contact=hugo)
    services.visits_record(
        actor=admin_user,
        turf=turf,
        visits=[
            services.VisitInput(
                id=uuid.uuid4(),
                door_id=door.pk,
                contact_id=hugo.pk,
                result="talked",
                support_level=1,
                visited_at=timezone.now(),
            )
        ],
    )
    return turf


def test_an_organizer_reads_no_name_outside_their_scope_on_a_mixed_turf(
    client_as, mixed_turf, organizer_lyon
):
    client = client_as(organizer_lyon)
    hugo_door = Door.objects.get(turf=mixed_turf, street__icontains="Oberkampf")

    page = client.get(reverse("canvassing:turf", args=[mixed_turf.pk])).content.decode()
    walk = client.get(reverse("canvassing:walk", args=[mixed_turf.pk])).content.decode()
    door = client.get(reverse("canvassing:door", args=[mixed_turf.pk, hugo_door.pk]))
    printed = client.get(reverse("canvassing:print", args=[mixed_turf.campaign.pk]))

    assert "Anna" in page  # their own people are there
    assert "Hugo" not in page and "Hugo" not in walk
    assert "Hugo" not in door.content.decode()
    assert "Hugo" not in printed.content.decode()


def test_the_walk_list_api_names_no_one_outside_the_callers_scope_on_a_mixed_turf(
    client_as, mixed_turf, organizer_lyon
):
    walk = client_as(organizer_lyon).get(reverse("canvassing:api_walk", args=[mixed_turf.pk]))

    assert walk.status_code == 200
    assert "Anna" in walk.content.decode()
    assert "Hugo" not in walk.content.decode()


def test_an_organizer_exports_no_opinion_given_at_a_door_outside_their_scope(
    client_as, mixed_turf, organizer_lyon
):
    export = client_as(organizer_lyon).get(
        reverse("canvassing:export", args=[mixed_turf.campaign.pk])
    )
    rows = b"".join(export.streaming_content).decode().splitlines()

    assert len(rows) == 1  # the header only: Hugo's answer, even unnamed, is not theirs


def test_a_door_of_a_closed_campaign_answers_with_a_message_not_a_server_error(
    lyon_campaign, admin_user, lyon_1er
):
    from django.test import Client

    turf = services.turfs_cut(
        campaign=lyon_campaign, actor=admin_user, name="T", kind="postal_code", values=["69001"]
    )[0]
    door = Door.objects.filter(turf=turf).first()
    services.canvass_campaign_set_status(campaign=lyon_campaign, actor=admin_user, status="closed")
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    at_door = client.post(
        reverse("canvassing:door", args=[turf.pk, door.pk]),
        {"id": str(uuid.uuid4()), "result": "talked"},
    )
    building = client.post(
        reverse("canvassing:not_home", args=[turf.pk]), {"building": door.building}
    )

    assert (at_door.status_code, building.status_code) == (302, 302)
    assert not Visit.objects.exists()


def test_an_organizers_figures_count_no_answer_given_at_a_door_outside_their_scope(
    client_as, mixed_turf, organizer_lyon, admin_user
):
    url = reverse("canvassing:detail", args=[mixed_turf.campaign.pk])

    theirs = client_as(organizer_lyon).get(url).context["progress"]
    everyone = client_as(admin_user).get(url).context["progress"]

    assert (theirs["support_total"], theirs["knocked"]) == (0, 0)
    assert (everyone["support_total"], everyone["knocked"]) == (1, 1)
