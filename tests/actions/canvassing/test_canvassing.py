"""Door to door: turfs cut into doors in walking order, volunteers who see only their turf,
and results synced from phones, each once."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.canvassing import services
from actions.canvassing.models import Door, Turf, Visit
from campaign.exceptions import ApplicationError
from campaign.models import User
from contacts import services as contact_services
from contacts.models import Contact, Source
from contacts.scope import contacts_visible_to

pytestmark = pytest.mark.django_db


def neighbour(first, last, street, *, insee="69381", postal="69001", email=""):
    return contact_services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name=first,
        last_name=last,
        street=street,
        postal_code=postal,
        commune="Lyon",
        insee_code=insee,
        emails=[contact_services.EmailInput(address=email)] if email else [],
    )


@pytest.fixture
def campaign(admin_user):
    campaign = services.canvass_campaign_save(
        actor=admin_user,
        name="Municipales",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    return services.canvass_campaign_set_status(
        campaign=campaign, actor=admin_user, status="active"
    )


@pytest.fixture
def street(db):
    """A street of Lyon 1er as a file gives it: numbers in any order, flats, families."""
    return {
        "a": neighbour("Anna", "Roux", "3 rue Terme"),
        "b": neighbour("Bruno", "Roux", "3 rue Terme"),  # same family, same door
        "c": neighbour("Chloé", "Petit", "3 rue Terme"),  # same building, another flat
        "d": neighbour("David", "Morel", "12 rue Terme, Apt 4"),
        "e": neighbour("Emma", "Morel", "12 rue Terme, apt 5"),  # same name, other flat
        "f": neighbour("Fanny", "Blanc", "1 rue Terme"),
        "g": neighbour("Gilles", "Noir", "8 rue Terme"),
        "h": neighbour("Hélène", "Vert", "2 bis rue Terme"),
        "i": neighbour("Inès", "Gris", "Place Sathonay"),  # no number
        "j": neighbour("Jules", "Brun", "5 r. Terme"),  # abbreviated street
    }


@pytest.fixture
def turf(campaign, admin_user, street):
    return services.turfs_cut(
        campaign=campaign, actor=admin_user, name="Terme", kind="commune", values=["69381"]
    )[0]


def labels(turf):
    return [str(d) for d in Door.objects.filter(turf=turf).order_by("position")]


def test_a_building_becomes_a_list_of_flats_and_a_family_shares_a_door(turf, street):
    doors = {
        frozenset(d.residents.values_list("contact_id", flat=True))
        for d in Door.objects.filter(turf=turf)
    }
    pk = {k: c.pk for k, c in street.items()}
    assert frozenset({pk["a"], pk["b"]}) in doors  # the Roux family
    assert frozenset({pk["c"]}) in doors
    assert frozenset({pk["d"]}) in doors and frozenset({pk["e"]}) in doors  # two flats
    three = Door.objects.filter(turf=turf, number=3)
    assert three.count() == 2 and len({d.building for d in three}) == 1


def test_the_walk_goes_up_the_odd_side_and_back_down_the_even_side(turf):
    assert labels(turf) == [
        "Place Sathonay",
        "1 rue Terme",
        "3 rue Terme",
        "3 rue Terme",
        "5 r. Terme",
        "12 rue Terme, Apt 4",
        "12 rue Terme, apt 5",
        "8 rue Terme",
        "2 bis rue Terme",
    ]


def test_a_long_turf_is_cut_without_splitting_a_building(campaign, admin_user, street):
    turfs = services.turfs_cut(
        campaign=campaign,
        actor=admin_user,
        name="Terme",
        kind="commune",
        values=["69381"],
        max_doors=2,
    )
    for t in turfs:
        buildings = list(Door.objects.filter(turf=t).values_list("building", flat=True))
        for other in turfs:
            if other != t:
                assert not Door.objects.filter(turf=other, building__in=buildings).exists()
    assert sum(t.doors_count for t in turfs) == 9
    assert [t.name for t in turfs][:2] == ["Terme 1", "Terme 2"]


def test_a_person_is_in_one_turf_of_a_campaign(turf, campaign, admin_user):
    with pytest.raises(ApplicationError):
        services.turfs_cut(
            campaign=campaign, actor=admin_user, name="Encore", kind="commune", values=["69381"]
        )


def test_an_organizer_cuts_turfs_only_from_people_they_may_see(organizer_paris, street):
    theirs = services.canvass_campaign_save(
        actor=organizer_paris,
        name="Paris",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(ApplicationError):
        services.turfs_cut(
            campaign=theirs, actor=organizer_paris, name="x", kind="commune", values=["69381"]
        )


def visit(door, result="talked", **extra):
    return services.VisitInput(
        id=extra.pop("id", uuid.uuid4()),
        door_id=door.pk,
        result=result,
        visited_at=extra.pop("visited_at", timezone.now()),
        **extra,
    )


def test_a_batch_synced_twice_with_duplicates_inside_records_each_visit_once(
    turf, volunteer, admin_user
):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    first, second = Door.objects.filter(turf=turf).order_by("position")[:2]
    a, b = visit(first, "not_home"), visit(second, "talked", support_level=4)
    report = services.visits_record(actor=volunteer, turf=turf, visits=[a, a, b])
    assert sorted(report.recorded) == sorted([str(a.id), str(b.id)])
    assert report.duplicates == [str(a.id)]
    again = services.visits_record(actor=volunteer, turf=turf, visits=[a, b])
    assert again.recorded == [] and sorted(again.duplicates) == sorted([str(a.id), str(b.id)])
    assert Visit.objects.count() == 2


def test_a_wrong_visit_is_rejected_with_its_reason_and_the_others_recorded(
    turf, volunteer, admin_user, paris_contact
):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.filter(turf=turf).first()
    good = visit(door)
    unknown_code = visit(door, "danced")
    stranger = visit(door, contact_id=paris_contact.pk)
    report = services.visits_record(
        actor=volunteer, turf=turf, visits=[good, unknown_code, stranger]
    )
    assert report.recorded == [str(good.id)]
    reasons = {r["id"]: r["reason"] for r in report.rejected}
    assert "danced" in reasons[str(unknown_code.id)]
    assert str(stranger.id) in reasons


def test_the_sync_api_takes_a_queued_batch_and_says_what_it_did(
    client_as, turf, volunteer, admin_user
):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.filter(turf=turf).first()
    item = {
        "id": str(uuid.uuid4()),
        "door": door.pk,
        "result": "talked",
        "support_level": 5,
        "wants_to_volunteer": True,
        "visited_at": timezone.now().isoformat(),
    }
    url = reverse("canvassing:api_visits", args=[turf.pk])
    client = client_as(volunteer)
    body = {"visits": [item, item, {"id": "not-a-uuid", "door": door.pk}]}
    answer = client.post(url, body, content_type="application/json").json()
    assert answer["recorded"] == [item["id"]] and answer["duplicates"] == [item["id"]]
    assert answer["rejected"][0]["id"] == "not-a-uuid"
    replay = client.post(url, {"visits": [item]}, content_type="application/json").json()
    assert replay["duplicates"] == [item["id"]] and Visit.objects.count() == 1


def test_a_volunteer_cannot_read_another_turfs_doors_by_url_or_api(
    client_as, turf, campaign, admin_user, volunteer
):
    other = User.objects.create_user(username="max", password="x" * 12)
    services.turf_assign(turf=turf, volunteers=[other], actor=admin_user)
    door = Door.objects.filter(turf=turf).first()
    client = client_as(volunteer)
    assert client.get(reverse("canvassing:walk", args=[turf.pk])).status_code == 404
    assert client.get(reverse("canvassing:door", args=[turf.pk, door.pk])).status_code == 404
    assert client.get(reverse("canvassing:api_walk", args=[turf.pk])).status_code == 404
    sync = client.post(
        reverse("canvassing:api_visits", args=[turf.pk]),
        {
            "visits": [
                {
                    "id": str(uuid.uuid4()),
                    "door": door.pk,
                    "result": "talked",
                    "visited_at": timezone.now().isoformat(),
                }
            ]
        },
        content_type="application/json",
    )
    assert sync.status_code == 404 and not Visit.objects.exists()
    assert not contacts_visible_to(volunteer).exists()


def test_a_volunteer_sees_names_and_addresses_of_their_turf_and_nothing_more(
    client_as, campaign, admin_user, volunteer
):
    neighbour("Zoé", "Martin", "7 rue Terme", email="zoe.martin@example.fr")
    turf = services.turfs_cut(
        campaign=campaign, actor=admin_user, name="T", kind="commune", values=["69381"]
    )[0]
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    client = client_as(volunteer)
    payload = client.get(reverse("canvassing:api_walk", args=[turf.pk])).content.decode()
    page = client.get(reverse("canvassing:walk", args=[turf.pk])).content.decode()
    assert "Zoé Martin" in payload and "Zoé Martin" in page
    assert "zoe.martin@example.fr" not in payload + page
    assert set(contacts_visible_to(volunteer).values_list("first_name", flat=True)) == {"Zoé"}


def test_a_door_in_two_taps_without_javascript(client_as, turf, volunteer, admin_user, street):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.get(turf=turf, number=1)
    client = client_as(volunteer)
    form = client.get(reverse("canvassing:door", args=[turf.pk, door.pk])).content.decode()
    assert "Discussion" in form and "Fanny Blanc" in form
    visit_id = str(uuid.uuid4())
    for _ in range(2):  # the form sent twice on a bad connection
        client.post(
            reverse("canvassing:door", args=[turf.pk, door.pk]),
            {
                "id": visit_id,
                "contact": street["f"].pk,
                "result": "talked",
                "support_level": "4",
                "wants_to_volunteer": "1",
            },
        )
    recorded = Visit.objects.get()
    assert (recorded.result, recorded.support_level, recorded.contact) == ("talked", 4, street["f"])
    assert street["f"].tags.filter(name=services.VOLUNTEER_TAG).exists()
    walk = client.get(reverse("canvassing:walk", args=[turf.pk])).content.decode()
    assert "Discussion" in walk  # the previous result shows on the walk list


def test_nobody_home_in_a_building_in_one_action(client_as, turf, volunteer, admin_user):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    building = Door.objects.filter(turf=turf, number=3).first().building
    client = client_as(volunteer)
    for _ in range(2):
        client.post(
            reverse("canvassing:not_home", args=[turf.pk]), {"building": building, "key": "k"}
        )
    assert Visit.objects.filter(result="not_home").count() == 2


def test_a_visit_shows_in_the_timeline_and_feeds_the_support_segment_filter(
    turf, volunteer, admin_user, street
):
    from campaign.models import Territory
    from contacts.segments.filters import SegmentFilters, apply_filters

    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.get(turf=turf, number=1)
    services.visits_record(
        actor=volunteer,
        turf=turf,
        visits=[visit(door, contact_id=street["f"].pk, support_level=5)],
    )
    from contacts.timeline import timeline_for

    assert any(e.kind == "door" for e in timeline_for(street["f"]))
    wanted = SegmentFilters(actions={"support_level": {"level": "4"}})
    supporters = apply_filters(Contact.objects.all(), wanted, territories=Territory.objects.all())
    assert list(supporters) == [street["f"]]


def test_staff_print_walk_lists_one_turf_a_page(client_as, admin_user, campaign, street):
    services.turfs_cut(
        campaign=campaign,
        actor=admin_user,
        name="T",
        kind="commune",
        values=["69381"],
        max_doors=4,
    )
    page = client_as(admin_user).get(reverse("canvassing:print", args=[campaign.pk]))
    assert page.content.decode().count('class="sheet"') == Turf.objects.count() > 1


def test_an_organizer_builds_a_campaign_in_the_browser(client_as, organizer_lyon, street):
    client = client_as(organizer_lyon)
    response = client.post(
        reverse("canvassing:new"),
        {
            "name": "Porte-à-porte",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "questions-TOTAL_FORMS": 5,  # the default script, a question of ours, a blank row
            "questions-INITIAL_FORMS": 3,
            "questions-0-kind": "support",
            "questions-0-text": "Soutien (1 à 5)",
            "questions-1-kind": "volunteer",
            "questions-1-text": "Souhaite devenir bénévole",
            "questions-2-kind": "give",
            "questions-2-text": "Souhaite donner",
            "questions-2-DELETE": "on",
            "questions-3-kind": "choice",
            "questions-3-text": "Sujet prioritaire ?",
            "questions-3-choices": "Logement\nTransports",
            "questions-4-kind": "support",
            "questions-4-text": "",
            "codes-TOTAL_FORMS": 3,
            "codes-INITIAL_FORMS": 2,
            "codes-0-code": "talked",
            "codes-0-label": "Discussion",
            "codes-0-talked": "on",
            "codes-1-code": "not_home",
            "codes-1-label": "Absent",
            "codes-2-label": "Boîte aux lettres seulement",
        },
    )
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["questions"].errors,
    )
    detail = client.get(response["Location"])
    campaign = detail.context["campaign"]
    assert [q.text for q in campaign.questions.all()] == [
        "Soutien (1 à 5)",
        "Souhaite devenir bénévole",
        "Sujet prioritaire ?",
    ]
    assert [c["code"] for c in campaign.result_codes] == [
        "talked",
        "not_home",
        "boite_aux_lettres_seulement",
    ]
    client.post(reverse("canvassing:action", args=[campaign.pk, "start"]))
    client.post(
        reverse("canvassing:action", args=[campaign.pk, "cut"]),
        {"name": "Lyon 1er", "kind": "postal_code", "values": "69001"},
    )
    assert Turf.objects.get().doors_count == 9


def test_the_results_export_is_logged_and_keeps_names_to_those_who_may_see_them(
    client_as, turf, volunteer, admin_user, organizer_paris, street
):
    from contacts.models import ExportLog

    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.get(turf=turf, number=1)
    services.visits_record(
        actor=volunteer, turf=turf, visits=[visit(door, contact_id=street["f"].pk, support_level=2)]
    )
    export = client_as(admin_user).get(reverse("canvassing:export", args=[turf.campaign.pk]))
    text = b"".join(export.streaming_content).decode()
    assert "Fanny Blanc" in text and "Discussion" in text
    assert ExportLog.objects.get(what="canvass.csv").row_count == 1
    paris = client_as(organizer_paris).get(reverse("canvassing:export", args=[turf.campaign.pk]))
    assert "Fanny" not in b"".join(paris.streaming_content).decode()  # not their territory


def test_segments_pick_people_by_last_door_result_and_by_volunteering(
    turf, volunteer, admin_user, street
):
    from campaign.models import Territory
    from contacts.segments.filters import SegmentFilters, apply_filters

    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.get(turf=turf, number=1)
    earlier = timezone.now() - timedelta(hours=2)
    services.visits_record(
        actor=volunteer,
        turf=turf,
        visits=[
            visit(door, "come_back", contact_id=street["f"].pk, visited_at=earlier),
            visit(door, "talked", contact_id=street["f"].pk, wants_to_volunteer=True),
        ],
    )

    def segment(**actions):
        filters = SegmentFilters(actions=actions)
        found = apply_filters(Contact.objects.all(), filters, territories=Territory.objects.all())
        return list(found)

    assert segment(door_result={"result": "talked"}) == [street["f"]]
    assert segment(door_result={"result": "come_back"}) == []  # the last visit counts
    assert segment(volunteered={"within": "30"}) == [street["f"]]


def test_a_turf_cut_from_a_list_of_streets_keeps_only_those_streets(campaign, admin_user, street):
    neighbour("Paul", "Lune", "4 place Sathonay")
    turf = services.turfs_cut(
        campaign=campaign,
        actor=admin_user,
        name="Terme",
        kind="streets",
        values=["69001"],
        streets=["Rue Terme"],
    )[0]
    assert {d.building.split("|")[1] for d in turf.doors.all()} == {"rue terme"}  # r. Terme too
    assert turf.doors_count == 8  # 1, 3 (two doors), 5, 12 (two flats), 8, 2 bis


def test_the_turf_page_shows_its_own_progress(client_as, turf, volunteer, admin_user):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.filter(turf=turf).first()
    services.visits_record(actor=volunteer, turf=turf, visits=[visit(door, support_level=5)])
    page = client_as(admin_user).get(reverse("canvassing:turf", args=[turf.pk]))
    assert page.context["progress"]["knocked"] == 1
    assert page.context["progress"]["contact_rate"] == 100
    assert "Taux de contact" in page.content.decode()


def test_the_walk_list_travels_compressed(client_as, turf, volunteer, admin_user):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    page = client_as(volunteer).get(
        reverse("canvassing:walk", args=[turf.pk]), HTTP_ACCEPT_ENCODING="gzip"
    )
    assert page["Content-Encoding"] == "gzip"


def test_a_result_already_recorded_cannot_be_removed(turf, volunteer, admin_user):
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    door = Door.objects.filter(turf=turf).first()
    services.visits_record(actor=volunteer, turf=turf, visits=[visit(door, "refused")])
    campaign = turf.campaign
    kept = [c for c in campaign.result_codes if c["code"] != "refused"]
    with pytest.raises(ApplicationError, match="refused"):
        services.canvass_campaign_save(
            actor=admin_user,
            campaign=campaign,
            name=campaign.name,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            result_codes=kept,
        )
