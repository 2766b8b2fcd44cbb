"""The walk list on a volunteer's phone: how many doors are left, the map's doors, the
scripts' words in the volunteer's language (offline too), and a campaign's codes and
questions in the language of the organizer who made it."""

# ruff: noqa: F811 (the door-to-door fixtures of test_canvassing, used by name)

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actions.canvassing import services
from actions.canvassing.addresses import read_address, walk_order
from actions.canvassing.models import Door, Visit
from tests.actions.canvassing.test_canvassing import campaign, neighbour, street, turf  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def knock(turf, volunteer, number):
    door = Door.objects.filter(turf=turf, number=number).first()
    services.visits_record(
        actor=volunteer,
        turf=turf,
        visits=[
            services.VisitInput(
                id=uuid.uuid4(), door_id=door.pk, result="not_home", visited_at=timezone.now()
            )
        ],
    )


def test_the_walk_list_says_how_many_doors_are_left(client_as, turf, volunteer, admin_user):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    knock(turf, volunteer, 1)
    knock(turf, volunteer, 8)
    client = client_as(volunteer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("canvassing:walk", args=[turf.pk])).content.decode()
    assert "7 doors left of 9" in page
    assert 'value="2"' in page  # the progress bar: two doors done


def test_the_walk_list_maps_the_doors_with_coordinates(client_as, turf, volunteer, admin_user):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    Door.objects.filter(turf=turf, number=1).update(latitude=45.767, longitude=4.833)
    response = client_as(volunteer).get(reverse("canvassing:walk", args=[turf.pk]))
    (point,) = response.context["payload"]["points"]
    assert point["label"] == "1 rue Terme" and point["lat"] == 45.767
    assert b'id="canvass-map"' in response.content


def test_the_scripts_words_come_from_the_catalogue_of_the_language(client):
    french = client.get(reverse("javascript_catalog", args=["fr"])).content.decode()
    english = client.get(reverse("javascript_catalog", args=["en"])).content.decode()
    assert "Qui a r\\u00e9pondu ?" in french or "Qui a répondu ?" in french
    assert "Qui a" not in english
    assert client.get("/jsi18n/de.js").status_code == 404


def test_the_catalogue_loads_before_the_walk_script_and_is_kept_offline(
    client_as, turf, volunteer, admin_user
):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    page = client_as(volunteer).get(reverse("canvassing:walk", args=[turf.pk])).content.decode()
    catalogue = reverse("javascript_catalog", args=["fr"])
    assert page.index(catalogue) < page.index("js/canvass.js")
    worker = client_as(volunteer).get(reverse("canvassing:service_worker")).content.decode()
    assert "/jsi18n/" in worker  # fetched and kept like the static files


def test_an_english_organizers_campaign_has_english_codes_and_questions(admin_user):
    with translation.override("en"):
        campaign = services.canvass_campaign_save(
            actor=admin_user,
            name="Spring",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    assert campaign.codes["talked"]["label"] == "Talked"
    assert "Wants to volunteer" in [q.text for q in campaign.questions.all()]
    with translation.override("fr"):
        french = services.canvass_campaign_save(
            actor=admin_user,
            name="Printemps",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    assert french.codes["talked"]["label"] == "Discussion"


def test_a_street_is_walked_in_the_order_its_houses_stand():
    lines = [
        "12 rue Terme, Apt 10",
        "12 rue Terme, Apt 9",
        "11 ter rue Terme",
        "11 rue Terme",
        "11 quater rue Terme",
        "11 bis rue Terme",
        "12 bis rue Terme",
        "2 rue Terme",
    ]
    walked = sorted(lines, key=lambda line: walk_order("69001", read_address(line)))
    assert walked == [
        "11 rue Terme",
        "11 bis rue Terme",
        "11 ter rue Terme",
        "11 quater rue Terme",
        "12 bis rue Terme",  # back down the even side: 12 bis stands after 12, going up
        "12 rue Terme, Apt 9",
        "12 rue Terme, Apt 10",
        "2 rue Terme",
    ]


def test_without_javascript_a_talk_asks_the_scripts_questions_before_it_is_saved(
    client_as, turf, volunteer, admin_user, street
):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.get(turf=turf, number=1)
    url = reverse("canvassing:door", args=[turf.pk, door.pk])
    client = client_as(volunteer)
    visit_id = str(uuid.uuid4())
    asked = client.post(url, {"id": visit_id, "contact": street["f"].pk, "ask": "talked"})
    page = asked.content.decode()
    assert asked.status_code == 200 and not Visit.objects.exists()  # not saved yet
    assert "Souhaite devenir bénévole" in page and visit_id in page
    client.post(
        url, {"id": visit_id, "contact": street["f"].pk, "result": "talked", "support_level": "5"}
    )
    assert Visit.objects.get().support_level == 5


def test_without_javascript_the_questions_may_be_skipped(client_as, turf, volunteer, admin_user):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.get(turf=turf, number=1)
    client_as(volunteer).post(
        reverse("canvassing:door", args=[turf.pk, door.pk]),
        {"id": str(uuid.uuid4()), "skip": "talked", "support_level": "5"},
    )
    skipped = Visit.objects.get()
    assert (skipped.result, skipped.support_level) == ("talked", None)
