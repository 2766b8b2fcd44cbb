"""The public API speaks OSDI: an entry point, people in HAL+JSON a page at a time, filters,
and tokens that see what their user sees."""

import pytest
from django.test import override_settings
from django.urls import reverse

from campaign.api.tokens import api_token_create, api_token_revoke
from contacts import services
from contacts.models import Source

pytestmark = pytest.mark.django_db


def test_the_entry_point_says_what_the_server_is_and_where_people_are(client):
    body = client.get("/api/v1/").json()

    assert body["osdi_version"] == "1.2" and body["max_pagesize"] == 100
    assert body["vendor_name"] == "Terrain" and body["motd"]
    assert body["_links"]["osdi:people"]["href"] == "http://testserver/api/v1/people"


def test_people_come_in_hal_json_with_their_channels_and_consents(api, admin_user, lyon_contact):
    services.consent_set(
        contact=lyon_contact, channel="email", status="granted", source="manual", actor=None
    )

    response = api(admin_user).get("/api/v1/people")

    assert response["Content-Type"] == "application/hal+json"
    body = response.json()
    assert (body["total_records"], body["total_pages"], body["page"]) == (1, 1, 1)
    [lea] = body["_embedded"]["osdi:people"]
    assert lea["identifiers"] == [f"terrain:{lyon_contact.uuid}"]
    assert (lea["given_name"], lea["family_name"]) == ("Léa", "Garnier")
    assert lea["email_addresses"] == [
        {"address": "lea.garnier@example.fr", "primary": True, "status": "subscribed"}
    ]
    assert lea["phone_numbers"][0]["number"] == "+33612345678"
    assert lea["phone_numbers"][0]["number_type"] == "Mobile"
    assert lea["postal_addresses"][0]["postal_code"] == "69001"
    assert body["_links"]["osdi:people"] == [lea["_links"]["self"]]
    assert api(admin_user).get(lea["_links"]["self"]["href"]).json()["given_name"] == "Léa"


def test_an_address_that_bounced_reads_as_bouncing(api, admin_user, lyon_contact):
    from django.utils import timezone

    services.consent_set(
        contact=lyon_contact, channel="email", status="granted", source="manual", actor=None
    )
    lyon_contact.emails.update(bounced_at=timezone.now())

    [lea] = api(admin_user).get("/api/v1/people").json()["_embedded"]["osdi:people"]
    assert lea["email_addresses"] == [
        {"address": "lea.garnier@example.fr", "primary": True, "status": "bouncing"}
    ]


def test_a_token_sees_what_its_user_sees(api, organizer_lyon, lyon_contact, paris_contact):
    client = api(organizer_lyon)

    people = client.get("/api/v1/people").json()["_embedded"]["osdi:people"]
    assert [p["given_name"] for p in people] == ["Léa"]
    assert client.get(f"/api/v1/people/{paris_contact.uuid}").status_code == 404


def test_a_token_goes_in_either_header_and_a_revoked_one_opens_nothing(client, admin_user):
    token, key = api_token_create(user=admin_user, name="Spoke")

    assert client.get("/api/v1/people").status_code == 401
    assert client.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key).status_code == 200
    assert client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    api_token_revoke(token=token, actor=admin_user)
    refused = client.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_pages_have_next_and_previous_links_and_stop_empty(api, admin_user):
    for name in ("Anna", "Bruno", "Chloé"):
        services.contact_create(actor=None, source=Source.MANUAL, first_name=name)
    client = api(admin_user)

    first = client.get("/api/v1/people", {"per_page": 2}).json()
    assert (first["total_records"], first["total_pages"], first["per_page"]) == (3, 2, 2)
    assert "prev" not in first["_links"]
    second = client.get(first["_links"]["next"]["href"]).json()
    assert [p["given_name"] for p in second["_embedded"]["osdi:people"]] == ["Chloé"]
    assert "next" not in second["_links"] and second["_links"]["prev"]
    beyond = client.get("/api/v1/people", {"per_page": 2, "page": 3}).json()
    assert beyond["_embedded"]["osdi:people"] == [] and beyond["total_records"] == 3
    assert client.get("/api/v1/people", {"per_page": 1000}).json()["per_page"] == 100
    assert client.get("/api/v1/people", {"page": "0"}).status_code == 400


def test_filters_find_people_by_email_phone_postal_code_and_change_date(
    api, admin_user, lyon_contact, paris_contact
):
    client = api(admin_user)

    def names(text):
        response = client.get("/api/v1/people", {"filter": text})
        assert response.status_code == 200, response.json()
        return [p["given_name"] for p in response.json()["_embedded"]["osdi:people"]]

    assert names("email_address eq 'HUGO.lefevre@example.fr'") == ["Hugo"]
    assert names("phone_number eq '06 12 34 56 78'") == ["Léa"]
    assert names("postal_code eq '75011'") == ["Hugo"]
    assert names("modified_date gt '2000-01-01'") == ["Léa", "Hugo"]
    assert names("modified_date lt '2000-01-01'") == []
    assert names("postal_code eq '69001' and modified_date gt '2000-01-01T00:00:00Z'") == ["Léa"]
    wrong = client.get("/api/v1/people", {"filter": "shoe_size eq '42'"})
    assert wrong.status_code == 400 and "only on" in wrong.json()["detail"]
    assert client.get("/api/v1/people", {"filter": "modified_date gt 'soon'"}).status_code == 400


def test_modified_date_moves_when_consent_changes(api, admin_user, lyon_contact, paris_contact):
    from django.utils import timezone

    client = api(admin_user)
    since = timezone.now().isoformat()
    services.consent_set(
        contact=lyon_contact, channel="sms", status="withdrawn", source="sms", actor=None
    )

    changed = client.get("/api/v1/people", {"filter": f"modified_date gt '{since}'"}).json()

    assert [p["given_name"] for p in changed["_embedded"]["osdi:people"]] == ["Léa"]


@override_settings(API_RATE_LIMIT="2/min")
def test_a_token_past_its_rate_gets_429_with_retry_after(api, admin_user):
    from django.core.cache import cache

    cache.clear()
    client = api(admin_user)
    assert [client.get("/api/v1/people").status_code for _ in range(2)] == [200, 200]

    refused = client.get("/api/v1/people")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60


def test_the_openapi_schema_and_its_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/people" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_staff_make_a_token_see_it_once_and_revoke_it(client_as, organizer_lyon, lyon_contact):
    client = client_as(organizer_lyon)

    made = client.post(reverse("api:tokens"), {"name": "Zapier"})

    assert made.status_code == 201
    key = made.context["new_key"]
    assert key.startswith("trn_") and key in made.content.decode()
    listed = client.get(reverse("api:tokens")).content.decode()
    assert "Zapier" in listed and key not in listed
    from django.test import Client

    outside = Client()
    assert outside.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key).status_code == 200
    token = organizer_lyon.api_tokens.get()
    asked = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert asked.status_code == 200  # "Revoke this token?": still working
    assert outside.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key).status_code == 200
    client.post(reverse("api:token_revoke", args=[token.pk]), {"confirm": "yes"})
    assert outside.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key).status_code == 401


def test_a_volunteer_has_no_token_page(client_as, volunteer):
    assert client_as(volunteer).get(reverse("api:tokens")).status_code == 403


def signup(email="nina@example.fr", postal_code="69001", **person):
    return {
        "person": {
            "given_name": "Nina",
            "family_name": "Roux",
            "email_addresses": [{"address": email, "status": "subscribed"}],
            "phone_numbers": [{"number": "07 11 22 33 44", "status": "unsubscribed"}],
            "postal_addresses": [
                {"address_lines": ["3 rue Terme"], "locality": "Lyon", "postal_code": postal_code}
            ],
            **person,
        },
        "add_tags": ["bénévole"],
    }


def test_the_signup_helper_adds_a_person_with_consents_tags_and_origin(api, admin_user):
    from contacts.models import Contact

    made = api(admin_user).post(
        "/api/v1/people/person_signup_helper", signup(), content_type="application/hal+json"
    )

    assert made.status_code == 201, made.json()
    nina = Contact.objects.get(first_name="Nina")
    assert (nina.source, nina.source_detail, nina.postal_code) == ("api", "tests", "69001")
    assert dict(nina.consents.values_list("channel", "status")) == {
        "email": "granted",
        "sms": "withdrawn",
    }
    assert [t.name for t in nina.tags.all()] == ["bénévole"]
    assert made.json()["identifiers"] == [f"terrain:{nina.uuid}"]
    assert nina.stage_events.filter(stage=2).exists()  # reachable, for the funnel


def test_the_signup_helper_completes_someone_known_by_email(api, admin_user, lyon_contact):
    services.contact_tag(contact=lyon_contact, actor=None, add=["ancien"])
    body = signup(email="LEA.GARNIER@example.fr", given_name="Léa")
    body["remove_tags"] = ["ancien"]

    known = api(admin_user).post(
        "/api/v1/people/person_signup_helper", body, content_type="application/json"
    )

    assert known.status_code == 200
    lyon_contact.refresh_from_db()
    assert lyon_contact.street == "3 rue Terme"  # was empty: completed
    assert lyon_contact.last_name == "Garnier"  # was known: kept
    assert sorted(lyon_contact.tags.values_list("name", flat=True)) == ["bénévole"]


def test_a_signup_outside_the_token_territories_writes_nothing(api, organizer_lyon):
    from contacts.models import Contact

    refused = api(organizer_lyon).post(
        "/api/v1/people/person_signup_helper",
        signup(postal_code="75011"),
        content_type="application/json",
    )

    assert refused.status_code == 400
    assert "territoires" in refused.json()["detail"]
    assert not Contact.objects.exists()


def test_a_signup_without_email_or_phone_is_refused_with_the_reason(api, admin_user):
    body = signup()
    del body["person"]["email_addresses"], body["person"]["phone_numbers"]

    refused = api(admin_user).post(
        "/api/v1/people/person_signup_helper", body, content_type="application/json"
    )

    assert refused.status_code == 400
    assert "email address or a phone number" in str(refused.json())


def test_tags_and_their_taggings_list_people_the_token_may_see_and_tag_them(
    api, organizer_lyon, lyon_contact, paris_contact
):
    services.contact_tag(contact=lyon_contact, actor=None, add=["quartier"])
    services.contact_tag(contact=paris_contact, actor=None, add=["quartier"])
    from contacts.models import Tag

    client = api(organizer_lyon)

    [shown] = client.get("/api/v1/tags").json()["_embedded"]["osdi:tags"]
    taggings = client.get(shown["_links"]["osdi:taggings"]["href"]).json()

    assert shown["name"] == "quartier"
    assert taggings["total_records"] == 1  # Léa; Hugo is in Paris
    other = Tag.objects.create(name="porte-à-porte")
    url = f"/api/v1/tags/{other.pk}/taggings"
    made = client.post(
        url, {"person": f"terrain:{lyon_contact.uuid}"}, content_type="application/json"
    )
    assert made.status_code == 201
    assert lyon_contact.tags.filter(name="porte-à-porte").exists()
    hidden = client.post(
        url, {"person": f"terrain:{paris_contact.uuid}"}, content_type="application/json"
    )
    assert hidden.status_code == 404 and not paris_contact.tags.filter(pk=other.pk).exists()
    assert (
        client.post(url, {"person": "nobody"}, content_type="application/json").status_code == 400
    )


def test_lists_are_segments_and_their_items_the_people_in_them(
    api, organizer_lyon, lyon_contact, paris_contact
):
    from contacts.models import Segment, SegmentMember

    segment = Segment.objects.create(name="Appel", is_static=True)
    SegmentMember.objects.bulk_create(
        SegmentMember(segment=segment, contact=c) for c in (lyon_contact, paris_contact)
    )
    client = api(organizer_lyon)

    [shown] = client.get("/api/v1/lists").json()["_embedded"]["osdi:lists"]
    items = client.get(shown["_links"]["osdi:items"]["href"]).json()["_embedded"]["osdi:items"]

    assert shown["name"] == "Appel"
    assert [i["_links"]["osdi:person"]["href"] for i in items] == [
        f"http://testserver/api/v1/people/{lyon_contact.uuid}"
    ]


def test_a_list_item_is_read_by_the_id_its_identifier_gives_within_scope(
    api, organizer_lyon, lyon_contact, paris_contact
):
    from contacts.models import Segment, SegmentMember

    segment = Segment.objects.create(name="Appel", is_static=True)
    SegmentMember.objects.bulk_create(
        SegmentMember(segment=segment, contact=c) for c in (lyon_contact, paris_contact)
    )
    client = api(organizer_lyon)
    items = f"/api/v1/lists/{segment.pk}/items"
    [listed] = client.get(items).json()["_embedded"]["osdi:items"]
    item_id = listed["identifiers"][0].split(":", 1)[1]  # as Action Network's clients take it

    shown = client.get(listed["_links"]["self"]["href"])
    by_id = client.get(f"{items}/{item_id}")
    elsewhere = client.get(f"/api/v1/lists/{segment.pk + 1}/items/{item_id}")
    out_of_scope = client.get(f"{items}/{segment.pk}-{paris_contact.uuid}")

    assert item_id == f"{segment.pk}-{lyon_contact.uuid}"
    assert shown.json() == by_id.json() == listed
    assert (elsewhere.status_code, out_of_scope.status_code) == (404, 404)
