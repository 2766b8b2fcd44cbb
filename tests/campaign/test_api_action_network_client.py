"""Parsons' Action Network connector (parsons.action_network, from PyPI), unchanged but for
its base URL, drives Terrain's OSDI API on a live server: people listed page by page, read,
signed up, changed; a tag made, put on a person, read and taken off; petitions, signatures,
fundraising pages, donations, lists and their items read; and an organizer's token reaches
no one outside her territories through it either."""

import warnings
from datetime import date

import pytest
from django.utils import timezone
from requests import HTTPError

from actions.donations.models import Donation
from actions.petitions.models import Signature
from campaign.api.tokens import api_token_create
from contacts import services
from contacts.models import Consent, Contact, Segment, SegmentMember, Source, Tag
from tests.factories import PetitionFactory

with warnings.catch_warnings():  # Parsons says at import that its extras are now optional
    warnings.simplefilter("ignore", RuntimeWarning)
    from parsons.action_network import action_network as parsons_an

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def action_network(live_server, monkeypatch):
    """The connector as a user of Parsons makes it, with a token of `user`: only the module's
    API_URL (Action Network's address) points at the live server."""
    monkeypatch.setattr(parsons_an, "API_URL", f"{live_server.url}/api/v1")

    def connect(user) -> parsons_an.ActionNetwork:
        _token, key = api_token_create(user=user, name="Parsons")
        return parsons_an.ActionNetwork(api_token=key)

    return connect


def own_id(resource: dict) -> str:
    """The id a client takes from a resource to call it again: Terrain's identifier's."""
    [own] = [i for i in resource["identifiers"] if i.startswith("terrain:")]
    return own.split(":", 1)[1]


def lyon_person(number: int) -> Contact:
    return services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name=f"Personne{number}",
        last_name="Lyon",
        postal_code="69001",
        commune="Lyon 1er arrondissement",
        insee_code="69381",
        emails=[services.EmailInput(address=f"personne{number}@example.fr")],
    )


def test_people_are_listed_page_after_page_and_read_one_by_one(
    action_network, admin_user, lyon_contact
):
    for number in range(30):
        lyon_person(number)
    an = action_network(admin_user)

    people = an.get_people()  # Parsons asks for pages of 25 until one comes back empty
    second_page = an.get_people(page=2)
    lea = an.get_person(lyon_contact.uuid)
    found = an.get_people(filter="email_address eq 'lea.garnier@example.fr'")

    assert people.num_rows == 31
    assert list(people["family_name"]).count("Lyon") == 30
    assert len(second_page["_embedded"]["osdi:people"]) == 6
    assert (lea["given_name"], lea["family_name"]) == ("Léa", "Garnier")
    assert own_id(lea) == str(lyon_contact.uuid)
    assert [own_id(p) for p in found] == [str(lyon_contact.uuid)]


def test_a_person_signed_up_with_upsert_person_lands_with_her_address_tags_and_fields(
    action_network, admin_user
):
    an = action_network(admin_user)

    made = an.upsert_person(
        email_address="nina@example.fr",
        given_name="Nina",
        family_name="Roux",
        tags=["bénévole"],
        postal_addresses=[
            {"address_lines": ["3 rue Terme"], "locality": "Lyon", "postal_code": "69001"}
        ],
        mobile_number="06 11 22 33 44",
        mobile_status="subscribed",
        quartier="Terreaux",
    )
    again = an.upsert_person(email_address="nina@example.fr", given_name="Nina")

    nina = Contact.objects.get()
    assert own_id(made) == own_id(again) == str(nina.uuid)
    assert (nina.first_name, nina.last_name, nina.street) == ("Nina", "Roux", "3 rue Terme")
    assert list(nina.phones.values_list("e164", flat=True)) == ["+33611223344"]
    assert [t.name for t in nina.tags.all()] == ["bénévole"]
    assert nina.custom_fields == {"quartier": "Terreaux"}
    assert an.get_custom_fields()["action_network:custom_fields"] == [{"name": "quartier"}]
    assert Consent.objects.get(contact=nina, channel="sms").status == "granted"


def test_update_person_changes_a_person_with_her_country_and_another_systems_identifier(
    action_network, admin_user, lyon_contact
):
    an = action_network(admin_user)

    changed = an.update_person(
        lyon_contact.uuid,
        given_name="Léana",
        postal_addresses=[
            {
                "address_lines": ["12 Tverskaya"],
                "locality": "Moscou",
                "postal_code": "125009",
                "country": "RU",
            }
        ],
        identifiers=["foreign_system:41"],
        custom_fields={"langue": "russe"},
    )

    lyon_contact.refresh_from_db()
    assert (lyon_contact.first_name, lyon_contact.street) == ("Léana", "12 Tverskaya")
    assert lyon_contact.country == "RU"
    assert list(lyon_contact.identifiers.values_list("value", flat=True)) == ["foreign_system:41"]
    assert lyon_contact.custom_fields == {"langue": "russe"}
    assert changed["postal_addresses"][0]["country"] == "RU"
    assert an.get_person("foreign_system:41")["given_name"] == "Léana"


def test_a_tag_is_made_put_on_a_person_read_and_taken_off(action_network, admin_user, lyon_contact):
    an = action_network(admin_user)

    lea = an.get_person(lyon_contact.uuid)

    tag = an.add_tag("porte-à-porte")
    tag_id = own_id(tag)
    tagging = an.create_tagging(tag_id, {"_links": {"osdi:person": lea["_links"]["self"]}})
    listed = an.get_taggings(tag_id)
    read = an.get_tagging(tag_id, own_id(tagging))
    tagged = [t.name for t in lyon_contact.tags.all()]
    an.delete_tagging(tag_id, own_id(tagging))

    assert Tag.objects.get(pk=tag_id).name == "porte-à-porte"
    assert tagged == ["porte-à-porte"]
    assert listed.num_rows == 1
    assert read["_links"]["osdi:person"]["href"].endswith(f"/people/{lyon_contact.uuid}")
    assert not lyon_contact.tags.exists()
    assert [t["name"] for t in an.get_tags()] == ["porte-à-porte"]
    assert an.get_tag(tag_id)["name"] == "porte-à-porte"


def test_petitions_signatures_fundraising_pages_and_donations_are_read(
    action_network, admin_user, lyon_contact, fundraising_page
):
    water = PetitionFactory(slug="eau", title="Eau")
    Signature.objects.create(petition=water, contact=lyon_contact, confirmed_at=timezone.now())
    Donation.objects.create(
        entity=fundraising_page.entity,
        drive=fundraising_page,
        contact=lyon_contact,
        amount_cents=3500,
        method=Donation.Method.CHEQUE,
        status=Donation.Status.PAID,
        received_on=date(2026, 3, 1),
    )
    an = action_network(admin_user)

    petitions = an.get_petitions()
    petition = an.get_petition(water.pk)
    signatures = an.get_petition_signatures(water.pk)
    her_signatures = an.get_person_signatures(lyon_contact.uuid)
    signature = an.get_petition_signature(water.pk, own_id(signatures[0]))
    her_signature = an.get_person_signature(lyon_contact.uuid, own_id(her_signatures[0]))
    pages = an.get_fundraising_pages()
    donations = an.get_fundraising_page_donations(fundraising_page.pk)
    her_donations = an.get_person_donations(lyon_contact.uuid)
    all_donations = an.get_donations()
    donation = an.get_donation(own_id(all_donations[0]))
    custom_fields = an.get_metadata()["_links"]["action_network:custom_fields"]

    assert [p["title"] for p in petitions] == ["Eau"]
    assert petition["title"] == "Eau"
    assert signatures.num_rows == her_signatures.num_rows == 1
    assert signature == her_signature
    assert signature["_links"]["osdi:person"]["href"].endswith(f"/people/{lyon_contact.uuid}")
    assert [p["title"] for p in pages] == ["Financez"]
    assert donations.num_rows == her_donations.num_rows == 1
    assert donations[0]["amount"] == donation["amount"] == "35.00"
    assert all_donations.num_rows == 1
    assert custom_fields["href"].endswith("/metadata/custom_fields")


def test_a_list_and_its_people_are_read(
    action_network, organizer_lyon, lyon_contact, paris_contact
):
    appeal = Segment.objects.create(name="Appel", is_static=True)
    SegmentMember.objects.bulk_create(
        SegmentMember(segment=appeal, contact=c) for c in (lyon_contact, paris_contact)
    )
    an = action_network(organizer_lyon)

    lists = an.get_lists()
    one = an.get_list(appeal.pk)
    items = an.get_items(appeal.pk)
    item = an.get_item(appeal.pk, own_id(items[0]))

    assert [entry["name"] for entry in lists] == [one["name"]] == ["Appel"]
    assert items.num_rows == 1  # Hugo, in Paris, is not hers to see
    assert item["_links"]["osdi:person"]["href"].endswith(f"/people/{lyon_contact.uuid}")


def test_an_organizers_token_reaches_no_one_outside_her_territories_through_parsons(
    action_network, organizer_lyon, lyon_contact, paris_contact
):
    an = action_network(organizer_lyon)
    tag = Tag.objects.create(name="tractage")
    paris_link = f"{parsons_an.API_URL}/people/{paris_contact.uuid}"

    people = an.get_people()
    with pytest.raises(HTTPError, match="404"):
        an.get_person(paris_contact.uuid)
    with pytest.raises(HTTPError, match="404"):
        an.update_person(paris_contact.uuid, given_name="Pirate")
    with pytest.raises(HTTPError, match="404"):
        an.create_tagging(tag.pk, {"_links": {"osdi:person": {"href": paris_link}}})

    assert [p["family_name"] for p in people] == ["Garnier"]
    paris_contact.refresh_from_db()
    assert paris_contact.first_name == "Hugo"
    assert not paris_contact.tags.exists()
