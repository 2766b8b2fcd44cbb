"""A volunteer gets from the API only what their missions use: their turf's walk list and its
door sync. Everything else the API holds (people, door results with support levels, tags,
segments, texts, gifts, signatures, the helpers that write) is for staff; every API view is
staff only unless it opts in, and a walk over every route proves which ones did."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.canvassing import services as canvassing
from actions.canvassing.models import Door, Visit
from campaign.permissions import access_rule_of
from contacts.models import Consent, Contact

pytestmark = pytest.mark.django_db

# What a volunteer (or anyone) may call: what the site shows everybody, and their missions.
OPEN_TO_VOLUNTEERS = {
    ("api:entry_point", "GET"),
    ("api:petitions", "GET"),  # published petitions, as on the site
    ("api:petition", "GET"),
    ("api:petition_signatures", "POST"),  # signing, the petition page's public act
    ("api:fundraising_pages", "GET"),  # published pages, as on the site
    ("api:fundraising_page", "GET"),
    ("canvassing:api_walk", "GET"),  # their turf's walk list
    ("canvassing:api_visits", "POST"),  # their turf's door sync
}


def api_routes():
    """(view class, route name) of every URL whose view is an API view (DRF decides)."""

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and access_rule_of(entry.callback) == "api":
                yield entry, namespace + (entry.name or "")

    return list(walk(get_resolver().url_patterns))


@pytest.fixture
def mission(admin_user, volunteer, lyon_contact):
    """The volunteer walks a turf of Lyon where Léa lives; a result is recorded at her door."""
    Contact.objects.filter(pk=lyon_contact.pk).update(street="3 rue Terme")
    effort = canvassing.canvass_campaign_save(
        actor=admin_user,
        name="Municipales",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    canvassing.canvass_campaign_set_status(campaign=effort, actor=admin_user, status="active")
    [turf] = canvassing.turfs_cut(
        campaign=effort, actor=admin_user, name="Terme", kind="commune", values=["69381"]
    )
    canvassing.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.get(turf=turf)
    canvassing.visits_record(
        actor=admin_user,
        turf=turf,
        visits=[
            canvassing.VisitInput(
                id=uuid.uuid4(),
                door_id=door.pk,
                contact_id=lyon_contact.pk,
                result="talked",
                support_level=5,
                visited_at=timezone.now(),
            )
        ],
    )
    return {"effort": effort, "turf": turf, "door": door}


@pytest.fixture
def as_volunteer(volunteer):
    client = Client(raise_request_exception=False)
    client.force_login(volunteer)
    return client


def test_a_volunteer_reads_no_people_through_the_api(as_volunteer, mission):
    response = as_volunteer.get("/api/v1/people?per_page=100")

    assert response.status_code == 403
    assert "lea.garnier" not in response.content.decode()


def test_a_volunteer_reads_no_support_levels_through_the_api(as_volunteer, mission):
    response = as_volunteer.get(f"/api/v1/canvassing_efforts/{mission['effort'].pk}/canvasses")

    assert response.status_code == 403
    assert "support_level" not in response.content.decode()


def test_a_volunteer_writes_nothing_through_the_signup_helper(as_volunteer, mission, lyon_contact):
    from contacts import services

    services.consent_set(
        contact=lyon_contact, channel="sms", status="withdrawn", source="sms", actor=None
    )

    response = as_volunteer.post(
        "/api/v1/people/person_signup_helper",
        {
            "person": {
                "email_addresses": [{"address": "lea.garnier@example.fr"}],
                "phone_numbers": [{"number": "07 11 22 33 44", "status": "subscribed"}],
            },
            "add_tags": ["bénévole"],
        },
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Consent.objects.get(contact=lyon_contact, channel="sms").status == "withdrawn"
    assert not lyon_contact.tags.exists()
    assert lyon_contact.phones.count() == 1


def test_every_api_route_is_staff_only_unless_it_opts_in(as_volunteer, mission):
    """Each API view, each method it has, called by a volunteer with a real object where the
    route names one: only the opted-in ones answer anything but 403."""
    known = {
        "pk": mission["effort"].pk,
        "turf_id": mission["turf"].pk,
        "uuid": Contact.objects.get().uuid,
    }
    opened, checked = set(), 0
    for entry, name in api_routes():
        kwargs = {key: known.get(key, 1) for key in entry.pattern.converters}
        url = reverse(name, kwargs=kwargs)
        view = entry.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if not hasattr(view, method):
                continue
            response = getattr(as_volunteer, method)(url, {}, content_type="application/json")
            checked += 1
            assert response.status_code < 500, (name, method, response.status_code)
            if response.status_code != 403:
                opened.add((name, method.upper()))
    assert opened == OPEN_TO_VOLUNTEERS
    assert checked > 20


def test_a_volunteer_still_walks_and_syncs_their_turf(as_volunteer, mission, lyon_contact):
    turf, door = mission["turf"], mission["door"]

    walk = as_volunteer.get(reverse("canvassing:api_walk", args=[turf.pk]))
    synced = as_volunteer.post(
        reverse("canvassing:api_visits", args=[turf.pk]),
        {
            "visits": [
                {
                    "id": str(uuid.uuid4()),
                    "door": door.pk,
                    "contact": lyon_contact.pk,
                    "result": "not_home",
                    "visited_at": timezone.now().isoformat(),
                }
            ]
        },
        content_type="application/json",
    )

    assert walk.status_code == 200 and walk.json()["turf"]["id"] == turf.pk
    assert synced.status_code == 200 and synced.json()["rejected"] == []
    assert Visit.objects.filter(result="not_home", contact=lyon_contact).count() == 1


def test_a_volunteer_does_not_walk_a_turf_that_is_not_theirs(
    as_volunteer, mission, admin_user, paris_contact
):
    Contact.objects.filter(pk=paris_contact.pk).update(street="1 rue Oberkampf")
    [other] = canvassing.turfs_cut(
        campaign=mission["effort"],
        actor=admin_user,
        name="Oberkampf",
        kind="commune",
        values=["75111"],
    )

    assert as_volunteer.get(reverse("canvassing:api_walk", args=[other.pk])).status_code == 404


def test_a_token_made_by_an_organizer_opens_nothing_once_they_are_a_volunteer(
    client, organizer_lyon, lyon_contact
):
    from campaign.api.tokens import api_token_create
    from campaign.models import User

    _token, key = api_token_create(user=organizer_lyon, name="Zapier")
    assert client.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key).status_code == 200
    User.objects.filter(pk=organizer_lyon.pk).update(role=User.Role.VOLUNTEER)

    assert client.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key).status_code == 403
