"""The OSDI API's writes, with the bodies OSDI and Action Network document: a person signed
up at POST /people and changed by PUT, a tag made, a tagging made from a person's link, read
and taken off, and a person's taggings; each within the caller's scope."""

import pytest

from campaign.models import Territory
from contacts import services
from contacts.models import Consent, ConsentEvent, Contact, Tag

pytestmark = pytest.mark.django_db
JSON = "application/json"


def person_url(contact: Contact) -> str:
    return f"/api/v1/people/{contact.uuid}"


def test_post_people_is_the_person_signup_helper(api, admin_user, lyon_contact):
    client = api(admin_user)
    body = {
        "person": {
            "given_name": "Nina",
            "family_name": "Roux",
            "email_addresses": [{"address": "nina@example.fr", "status": "subscribed"}],
            "postal_addresses": [{"postal_code": "69001", "locality": "Lyon"}],
        },
        "add_tags": ["bénévole"],
    }

    made = client.post("/api/v1/people", body, content_type=JSON)
    again = client.post("/api/v1/people", body, content_type=JSON)

    assert made.status_code == 201, made.json()
    assert again.status_code == 200
    nina = Contact.objects.get(emails__address="nina@example.fr")
    assert made.json()["identifiers"][0] == f"terrain:{nina.uuid}"
    assert [t.name for t in nina.tags.all()] == ["bénévole"]
    assert Consent.objects.get(contact=nina, channel="email").status == "granted"
    assert Contact.objects.count() == 2


def test_post_people_without_an_email_nor_a_phone_is_refused(api, admin_user):
    refused = api(admin_user).post(
        "/api/v1/people", {"person": {"given_name": "Nina"}}, content_type=JSON
    )

    assert refused.status_code == 400
    assert not Contact.objects.exists()


def test_put_changes_what_it_sends_and_leaves_the_rest(api, organizer_lyon, lyon_contact):
    services.contact_update(
        contact=lyon_contact, actor=organizer_lyon, custom_fields={"quartier": "Terreaux"}
    )

    changed = api(organizer_lyon).put(
        person_url(lyon_contact),
        {
            "family_name": "Garnier-Roux",
            "email_addresses": [{"address": "lea@example.org", "primary": True}],
            "phone_numbers": [{"number": "06 11 22 33 44"}, {"number": "04 78 00 00 00"}],
            "postal_addresses": [
                {"address_lines": ["3 rue Terme"], "locality": "Lyon", "postal_code": "69001"}
            ],
            "custom_fields": {"role": "bénévole"},
        },
        content_type=JSON,
    )

    assert changed.status_code == 200, changed.json()
    lyon_contact.refresh_from_db()
    assert (lyon_contact.first_name, lyon_contact.last_name) == ("Léa", "Garnier-Roux")
    assert [e.address for e in lyon_contact.emails.all()] == ["lea@example.org"]
    assert sorted(lyon_contact.phones.values_list("e164", flat=True)) == [
        "+33478000000",
        "+33611223344",
    ]
    assert (lyon_contact.street, lyon_contact.commune) == ("3 rue Terme", "Lyon")
    assert lyon_contact.custom_fields == {"quartier": "Terreaux", "role": "bénévole"}
    assert changed.json()["family_name"] == "Garnier-Roux"
    assert lyon_contact.activities.filter(kind="updated", actor=organizer_lyon).exists()


def test_put_on_a_person_out_of_scope_is_a_404_and_changes_nothing(
    api, organizer_lyon, paris_contact
):
    refused = api(organizer_lyon).put(
        person_url(paris_contact), {"given_name": "Pris"}, content_type=JSON
    )

    assert refused.status_code == 404
    paris_contact.refresh_from_db()
    assert paris_contact.first_name == "Hugo"


def test_put_that_would_move_a_person_out_of_the_callers_territories_is_refused(api, lyon_contact):
    from campaign.models import User

    postal = Territory.objects.create(kind=Territory.Kind.POSTAL_CODE, code="69001", name="69001")
    organizer = User.objects.create_user(username="nadia", role=User.Role.ORGANIZER)
    organizer.territories.set([postal])

    refused = api(organizer).put(
        person_url(lyon_contact),
        {"given_name": "Pris", "postal_addresses": [{"postal_code": "75011"}]},
        content_type=JSON,
    )

    assert refused.status_code == 400
    lyon_contact.refresh_from_db()
    assert (lyon_contact.first_name, lyon_contact.postal_code) == ("Léa", "69001")


def test_put_unsubscribed_applies_but_subscribed_never_undoes_a_withdrawal(
    api, admin_user, lyon_contact
):
    services.consent_set(
        contact=lyon_contact, channel="sms", status="withdrawn", source="sms", actor=None
    )
    events = ConsentEvent.objects.count()

    api(admin_user).put(
        person_url(lyon_contact),
        {
            "email_addresses": [{"address": "lea.garnier@example.fr", "status": "unsubscribed"}],
            "phone_numbers": [{"number": "06 12 34 56 78", "status": "subscribed"}],
        },
        content_type=JSON,
    )

    assert Consent.objects.get(contact=lyon_contact, channel="email").status == "withdrawn"
    assert Consent.objects.get(contact=lyon_contact, channel="sms").status == "withdrawn"
    assert ConsentEvent.objects.count() == events + 1  # the email's withdrawal only


def test_post_tags_makes_a_tag_and_refuses_a_name_already_taken(api, organizer_lyon):
    client = api(organizer_lyon)

    made = client.post("/api/v1/tags", {"name": "  porte-à-porte "}, content_type=JSON)
    taken = client.post("/api/v1/tags", {"name": "porte-à-porte"}, content_type=JSON)

    assert made.status_code == 201, made.json()
    tag = Tag.objects.get()
    assert made.json()["name"] == tag.name == "porte-à-porte"
    assert made.json()["identifiers"] == [f"terrain:{tag.pk}", f"action_network:{tag.pk}"]
    assert taken.status_code == 400
    assert taken.json()["field"] == "name"


def test_a_tag_needs_a_name(api, admin_user):
    refused = api(admin_user).post("/api/v1/tags", {"name": "   "}, content_type=JSON)

    assert refused.status_code == 400
    assert not Tag.objects.exists()


def test_a_volunteer_makes_no_tag(api, volunteer):
    refused = api(volunteer).post("/api/v1/tags", {"name": "pris"}, content_type=JSON)

    assert refused.status_code == 403
    assert not Tag.objects.exists()


def test_osdis_tagging_body_tags_the_person_its_link_names(api, organizer_lyon, lyon_contact):
    tag = Tag.objects.create(name="quartier")
    href = f"http://testserver/api/v1/people/{lyon_contact.uuid}"

    made = api(organizer_lyon).post(
        f"/api/v1/tags/{tag.pk}/taggings",
        {"_links": {"osdi:person": {"href": href}}},
        content_type=JSON,
    )

    assert made.status_code == 201, made.json()
    assert list(lyon_contact.tags.all()) == [tag]
    links = made.json()["_links"]
    assert links["osdi:person"]["href"] == href
    assert links["self"]["href"].endswith(f"/api/v1/tags/{tag.pk}/taggings/{lyon_contact.uuid}")


def test_a_tagging_without_a_person_says_how_to_name_them(api, admin_user):
    tag = Tag.objects.create(name="quartier")

    refused = api(admin_user).post(
        f"/api/v1/tags/{tag.pk}/taggings", {"_links": {}}, content_type=JSON
    )

    assert refused.status_code == 400
    assert "osdi:person" in refused.json()["person"][0]


def test_a_tagging_is_read_and_taken_off_at_its_own_link(api, organizer_lyon, lyon_contact):
    services.contact_tag(contact=lyon_contact, actor=None, add=["quartier"])
    tag = Tag.objects.get()
    client = api(organizer_lyon)
    [listed] = client.get(f"/api/v1/tags/{tag.pk}/taggings").json()["_embedded"]["osdi:taggings"]
    url = listed["_links"]["self"]["href"]

    shown = client.get(url)
    deleted = client.delete(url)
    gone = client.get(url)

    assert shown.json() == listed
    assert shown.json()["_links"]["osdi:person"]["href"].endswith(person_url(lyon_contact))
    assert deleted.status_code == 200
    assert not lyon_contact.tags.exists()
    assert lyon_contact.activities.filter(kind="tagged", summary="−quartier").exists()
    assert gone.status_code == 404


def test_a_tagging_is_read_and_taken_off_by_the_id_its_identifier_gives(
    api, organizer_lyon, lyon_contact
):
    tag = Tag.objects.create(name="quartier")
    client = api(organizer_lyon)
    made = client.post(
        f"/api/v1/tags/{tag.pk}/taggings",
        {"person": f"terrain:{lyon_contact.uuid}"},
        content_type=JSON,
    ).json()
    tagging_id = made["identifiers"][0].split(":", 1)[1]  # as Action Network's clients take it

    shown = client.get(f"/api/v1/tags/{tag.pk}/taggings/{tagging_id}")
    elsewhere = client.get(f"/api/v1/tags/{tag.pk + 1}/taggings/{tagging_id}")
    deleted = client.delete(f"/api/v1/tags/{tag.pk}/taggings/{tagging_id}")

    assert tagging_id == f"{tag.pk}-{lyon_contact.uuid}"
    assert shown.status_code == 200
    assert shown.json()["identifiers"] == made["identifiers"]
    assert elsewhere.status_code == 404
    assert deleted.status_code == 200
    assert not lyon_contact.tags.exists()


def test_a_tagging_out_of_scope_is_neither_shown_nor_taken_off(api, organizer_lyon, paris_contact):
    services.contact_tag(contact=paris_contact, actor=None, add=["quartier"])
    tag = Tag.objects.get()
    client = api(organizer_lyon)
    url = f"/api/v1/tags/{tag.pk}/taggings/{paris_contact.uuid}"

    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404
    assert list(paris_contact.tags.all()) == [tag]


def test_a_persons_taggings_list_their_tags(api, organizer_lyon, lyon_contact, paris_contact):
    services.contact_tag(contact=lyon_contact, actor=None, add=["quartier", "bénévole"])
    client = api(organizer_lyon)

    page = client.get(f"{person_url(lyon_contact)}/taggings").json()
    hidden = client.get(f"{person_url(paris_contact)}/taggings")

    tags = {t.name: t.pk for t in Tag.objects.all()}
    embedded = page["_embedded"]["osdi:taggings"]
    assert page["total_records"] == 2
    assert sorted(t["_links"]["osdi:tag"]["href"].rsplit("/", 1)[-1] for t in embedded) == sorted(
        str(pk) for pk in tags.values()
    )
    assert hidden.status_code == 404
