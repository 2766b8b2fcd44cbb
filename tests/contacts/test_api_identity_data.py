"""A person's data from other tools through the OSDI API: their identifiers in other systems
kept, returned and found again (in `filter` and at /people/<identifier>), the country of
their address kept as sent, custom fields completed for a known person, and the names of the
custom fields listed as Action Network's metadata."""

import threading
from functools import partial

import pytest
from django.db import connection

from campaign.exceptions import ApplicationError
from campaign.models import Territory
from contacts.dedupe.services import contact_merge
from contacts.models import Contact, ContactIdentifier
from contacts.osdi_writes import PersonChanges, api_person_update
from contacts.privacy.services import contact_erase

pytestmark = pytest.mark.django_db
HELPER = "/api/v1/people/person_signup_helper"


@pytest.fixture
def api(api):
    return partial(api, name="Zapier")


@pytest.fixture
def organizer_lyon(organizer_lyon):
    """Karim holds Lyon 1er by its postal code too, as a signup's address gives it."""
    postal = Territory.objects.create(kind=Territory.Kind.POSTAL_CODE, code="69001", name="69001")
    organizer_lyon.territories.add(postal)
    return organizer_lyon


def signup(
    *, email="nina@example.fr", identifiers=(), country="", custom=None, street="3 rue Terme"
):
    address = {"address_lines": [street], "locality": "Lyon", "postal_code": "69001"}
    if country:
        address["country"] = country
    person = {
        "identifiers": list(identifiers),
        "given_name": email.split("@")[0].capitalize(),  # one person per email
        "family_name": "Roux",
        "email_addresses": [{"address": email}],
        "postal_addresses": [address],
    }
    if custom is not None:
        person["custom_fields"] = custom
    return {"person": person}


def post(client, body):
    return client.post(HELPER, body, content_type="application/json")


def test_identifiers_from_other_systems_are_kept_and_returned_next_to_terrains(api, admin_user):
    made = post(api(admin_user), signup(identifiers=["foreign_system:1", "crm:A-7"]))

    assert made.status_code == 201, made.json()
    contact = Contact.objects.get()
    assert made.json()["identifiers"] == [f"terrain:{contact.uuid}", "foreign_system:1", "crm:A-7"]
    assert sorted(contact.identifiers.values_list("value", flat=True)) == [
        "crm:A-7",
        "foreign_system:1",
    ]


def test_a_known_person_gains_new_identifiers_and_keeps_the_old_ones(api, admin_user):
    client = api(admin_user)
    post(client, signup(identifiers=["foreign_system:1"]))

    again = post(client, signup(identifiers=["foreign_system:1", "other:9"]))

    assert again.status_code == 200, again.json()
    assert again.json()["identifiers"][1:] == ["foreign_system:1", "other:9"]


def test_terrains_own_identifier_sent_back_is_not_kept_twice(api, admin_user):
    client = api(admin_user)
    made = post(client, signup()).json()

    again = post(client, signup(identifiers=made["identifiers"]))

    assert again.json()["identifiers"] == made["identifiers"]
    assert ContactIdentifier.objects.count() == 0


def test_an_identifier_naming_another_person_is_refused_and_nothing_is_written(api, admin_user):
    client = api(admin_user)
    post(client, signup(identifiers=["foreign_system:1"]))

    other = post(client, signup(email="hugo@example.fr", identifiers=["foreign_system:1"]))

    assert other.status_code == 400
    assert "foreign_system:1" in str(other.json())
    assert not Contact.objects.filter(emails__address="hugo@example.fr").exists()


def test_an_identifier_must_name_its_system(api, admin_user):
    answer = post(api(admin_user), signup(identifiers=["1234"]))

    assert answer.status_code == 400
    assert Contact.objects.count() == 0


def test_a_person_is_found_by_another_systems_identifier_at_their_address(api, admin_user):
    client = api(admin_user)
    made = post(client, signup(identifiers=["foreign_system:1"])).json()

    found = client.get("/api/v1/people/foreign_system:1")
    by_own = client.get(f"/api/v1/people/{made['identifiers'][0]}")

    assert found.status_code == 200
    assert found.json()["_links"]["self"] == made["_links"]["self"]
    assert by_own.json()["_links"]["self"] == made["_links"]["self"]
    assert client.get("/api/v1/people/foreign_system:2").status_code == 404
    assert client.get("/api/v1/people/terrain:not-a-uuid").status_code == 404


def test_a_filter_on_identifiers_finds_the_one_person_they_name(api, admin_user):
    client = api(admin_user)
    post(client, signup(identifiers=["foreign_system:1"]))
    post(client, signup(email="hugo@example.fr", identifiers=["foreign_system:2"]))

    page = client.get("/api/v1/people", {"filter": "identifiers eq 'foreign_system:2'"}).json()

    [person] = page["_embedded"]["osdi:people"]
    assert person["email_addresses"][0]["address"] == "hugo@example.fr"


def test_an_organizer_finds_no_one_outside_their_territories_by_identifier(
    api, admin_user, organizer_lyon
):
    paris = signup(email="hugo@example.fr", identifiers=["foreign_system:75"])
    paris["person"]["postal_addresses"][0]["postal_code"] = "75011"
    post(api(admin_user), paris)
    client = api(organizer_lyon)

    found = client.get("/api/v1/people/foreign_system:75")
    page = client.get("/api/v1/people", {"filter": "identifiers eq 'foreign_system:75'"}).json()

    assert found.status_code == 404
    assert page["total_records"] == 0


def test_an_erased_persons_identifiers_and_country_go_with_them(api, admin_user):
    client = api(admin_user)
    post(client, signup(identifiers=["foreign_system:1"], country="RU"))

    contact_erase(contact=Contact.objects.get(), actor=admin_user)

    assert ContactIdentifier.objects.count() == 0
    assert Contact.objects.get().country == ""
    assert client.get("/api/v1/people/foreign_system:1").status_code == 404


def test_the_country_of_an_address_abroad_is_kept_and_returned(api, admin_user):
    made = post(api(admin_user), signup(country="ru"))

    assert made.json()["postal_addresses"][0]["country"] == "RU"
    assert Contact.objects.get().country == "RU"


def test_an_address_sent_without_a_country_is_in_france(api, admin_user):
    made = post(api(admin_user), signup())

    assert made.json()["postal_addresses"][0]["country"] == "FR"


def test_a_country_is_its_two_letter_code(api, admin_user):
    answer = post(api(admin_user), signup(country="Russia"))

    assert answer.status_code == 400
    assert Contact.objects.count() == 0


def test_a_country_sent_with_another_address_than_the_persons_is_not_taken(api, admin_user):
    client = api(admin_user)
    post(client, signup())

    again = post(client, signup(country="RU", street="1 Tverskaya"))

    assert again.json()["postal_addresses"][0]["country"] == "FR"
    assert Contact.objects.get().street == "3 rue Terme"


def test_custom_fields_complete_a_known_person_without_overwriting(api, admin_user):
    client = api(admin_user)
    post(client, signup(custom={"quartier": "Terreaux"}))

    again = post(client, signup(custom={"quartier": "Croix-Rousse", "bureau": "12"}))

    assert again.status_code == 200
    assert again.json()["custom_fields"] == {"quartier": "Terreaux", "bureau": "12"}
    assert Contact.objects.get().custom_fields == {"quartier": "Terreaux", "bureau": "12"}


def test_the_custom_fields_metadata_lists_the_names_the_caller_may_see(
    api, admin_user, organizer_lyon
):
    post(api(admin_user), signup(custom={"quartier": "Terreaux", "bureau": "12"}))
    paris = signup(email="hugo@example.fr", custom={"arrondissement": "11e"})
    paris["person"]["postal_addresses"][0]["postal_code"] = "75011"
    post(api(admin_user), paris)

    everything = api(admin_user).get("/api/v1/metadata/custom_fields").json()
    lyon = api(organizer_lyon).get("/api/v1/metadata/custom_fields").json()

    assert [f["name"] for f in everything["action_network:custom_fields"]] == [
        "arrondissement",
        "bureau",
        "quartier",
    ]
    assert [f["name"] for f in lyon["action_network:custom_fields"]] == ["bureau", "quartier"]


def test_two_records_merged_keep_both_records_identifiers(api, admin_user):
    client = api(admin_user)
    post(client, signup(identifiers=["foreign_system:1"]))
    post(client, signup(email="nine@example.fr", identifiers=["foreign_system:2"]))
    keep, drop = Contact.objects.order_by("pk")

    contact_merge(keep=keep, drop=drop, actor=admin_user)

    found = client.get("/api/v1/people/foreign_system:2").json()
    assert found["identifiers"] == [f"terrain:{keep.uuid}", "foreign_system:1", "foreign_system:2"]


def put(client, contact: Contact, body: dict):
    return client.put(f"/api/v1/people/{contact.uuid}", body, content_type="application/json")


def test_put_keeps_identifiers_from_other_systems_next_to_the_persons_own(api, admin_user):
    client = api(admin_user)
    post(client, signup(identifiers=["foreign_system:1"]))
    nina = Contact.objects.get()

    changed = put(client, nina, {"identifiers": ["crm:A-7", f"terrain:{nina.uuid}"]})

    assert changed.status_code == 200, changed.json()
    assert changed.json()["identifiers"] == [f"terrain:{nina.uuid}", "foreign_system:1", "crm:A-7"]
    assert client.get("/api/v1/people/crm:A-7").json()["given_name"] == "Nina"


def test_put_refuses_an_identifier_naming_another_person_and_changes_nothing(api, admin_user):
    client = api(admin_user)
    post(client, signup(identifiers=["foreign_system:1"]))
    post(client, signup(email="hugo@example.fr"))
    hugo = Contact.objects.get(emails__address="hugo@example.fr")

    refused = put(client, hugo, {"given_name": "Pris", "identifiers": ["foreign_system:1"]})

    assert refused.status_code == 400
    assert refused.json()["field"] == "identifiers"
    hugo.refresh_from_db()
    assert hugo.first_name == "Hugo"
    assert not hugo.identifiers.exists()


def test_put_keeps_the_country_of_the_address_it_sends(api, admin_user):
    client = api(admin_user)
    post(client, signup())
    nina = Contact.objects.get()

    abroad = put(
        client,
        nina,
        {"postal_addresses": [{"address_lines": ["12 Tverskaya"], "country": "ru"}]},
    )
    back = put(client, nina, {"postal_addresses": [{"postal_code": "69001"}]})

    assert abroad.json()["postal_addresses"][0]["country"] == "RU"
    assert back.json()["postal_addresses"][0]["country"] == "FR"  # an address without one
    nina.refresh_from_db()
    assert nina.country == ""


def test_put_leaves_the_country_when_it_sends_no_address(api, admin_user):
    client = api(admin_user)
    post(client, signup(country="RU"))
    nina = Contact.objects.get()

    put(client, nina, {"given_name": "Nina-Maria"})

    nina.refresh_from_db()
    assert (nina.first_name, nina.country) == ("Nina-Maria", "RU")


@pytest.fixture
def at_the_same_instant(monkeypatch):
    """Two writes at once: each has checked the identifiers already kept (none) before
    either keeps its own; then both keep them."""
    from django.db.models import Manager

    both_checked = threading.Barrier(2, timeout=10)
    bulk_create = Manager.bulk_create

    def together(manager, objs, *args, **kwargs):
        if manager.model is ContactIdentifier:
            both_checked.wait()
        return bulk_create(manager, objs, *args, **kwargs)

    monkeypatch.setattr(Manager, "bulk_create", together)

    def run(*writes):
        answers: list = [None] * len(writes)

        def one(index, write):
            try:
                answers[index] = write()
            except Exception as error:  # what the request would have answered 500 with
                answers[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=one, args=(i, w)) for i, w in enumerate(writes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return answers

    return run


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database takes one write at a time")


@pytest.mark.django_db(transaction=True)
def test_two_puts_keeping_the_same_new_identifier_at_once_keep_it_once(
    admin_user, lyon_contact, at_the_same_instant
):
    needs_postgresql()

    def keep():
        return api_person_update(
            actor=admin_user,
            contact=Contact.objects.get(pk=lyon_contact.pk),
            changes=PersonChanges(fields={}, identifiers=("foreign_system:7",)),
            source_detail="sync",
        )

    answers = at_the_same_instant(keep, keep)

    assert [type(a) for a in answers] == [Contact, Contact]
    assert list(ContactIdentifier.objects.values_list("contact_id", "value")) == [
        (lyon_contact.pk, "foreign_system:7")
    ]


@pytest.mark.django_db(transaction=True)
def test_two_people_given_the_same_new_identifier_at_once_one_is_refused_clearly(
    admin_user, lyon_contact, paris_contact, at_the_same_instant
):
    needs_postgresql()

    def keep_on(contact):
        return lambda: api_person_update(
            actor=admin_user,
            contact=Contact.objects.get(pk=contact.pk),
            changes=PersonChanges(fields={}, identifiers=("foreign_system:7",)),
            source_detail="sync",
        )

    answers = at_the_same_instant(keep_on(lyon_contact), keep_on(paris_contact))

    refused = [a for a in answers if isinstance(a, ApplicationError)]
    assert len(refused) == 1
    assert refused[0].field == "identifiers"
    assert ContactIdentifier.objects.count() == 1
