"""Petitions in the OSDI API: listed with their count, their signatures scoped like people,
and a partner's form signing through the record_signature_helper, with or without a token."""

import pytest

from actions.petitions.models import Petition, Signature
from campaign.api.tokens import api_token_create
from contacts.models import Contact
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(db):
    return PetitionFactory(slug="eau", title="Eau", consent_email="J'accepte les emails.")


def signer(email, postal_code="69001", status="subscribed"):
    return {
        "person": {
            "given_name": "Nina",
            "family_name": "Roux",
            "email_addresses": [{"address": email, "status": status}],
            "postal_addresses": [{"postal_code": postal_code}],
        },
        "referrer_data": {"source": "partenaire"},
    }


def test_a_partner_form_signs_once_per_email_and_never_says_who_had_signed(
    client, water, eager_tasks
):
    url = f"/api/v1/petitions/{water.pk}/signatures"

    first = client.post(url, signer("nina@example.fr"), content_type="application/json")
    again = client.post(url, signer("NINA@example.fr"), content_type="application/json")

    assert (first.status_code, first.json()["status"]) == (202, "received")
    # Whether an email had signed is a political opinion: both answers are the same.
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    signature = Signature.objects.get()
    assert (signature.contact.first_name, signature.utm_source) == ("Nina", "partenaire")
    assert signature.contact.consents.get(channel="email").status == "granted"


def test_a_signature_needs_an_email_and_a_draft_cannot_be_signed(client, water):
    body = signer("x@example.fr")
    body["person"]["email_addresses"] = []
    refused = client.post(
        f"/api/v1/petitions/{water.pk}/signatures", body, content_type="application/json"
    )
    assert refused.status_code == 400 and "email" in str(refused.json())

    draft = Petition.objects.create(slug="brouillon", title="Brouillon", text="…")
    hidden = client.post(
        f"/api/v1/petitions/{draft.pk}/signatures",
        signer("y@example.fr"),
        content_type="application/json",
    )
    assert hidden.status_code == 404


def test_petitions_list_their_count_and_signatures_are_scoped_like_people(
    client, water, organizer_lyon, eager_tasks
):
    url = f"/api/v1/petitions/{water.pk}/signatures"
    client.post(url, signer("lea@example.fr", "69001"), content_type="application/json")
    client.post(url, signer("hugo@example.fr", "75011"), content_type="application/json")
    Contact.objects.filter(postal_code="69001").update(insee_code="69381")
    _token, key = api_token_create(user=organizer_lyon, name="tests")

    petitions = client.get("/api/v1/petitions", HTTP_OSDI_API_TOKEN=key).json()
    signatures = client.get(url, HTTP_OSDI_API_TOKEN=key).json()

    [shown] = petitions["_embedded"]["osdi:petitions"]
    assert (shown["title"], shown["total_signatures"]) == ("Eau", 2)
    assert signatures["total_records"] == 1  # Hugo, in Paris, is not the organizer's to see
    person = signatures["_embedded"]["osdi:signatures"][0]["_links"]["osdi:person"]["href"]
    assert (
        client.get(person, HTTP_OSDI_API_TOKEN=key).json()["email_addresses"][0]["address"]
        == "lea@example.fr"
    )
    assert client.get(url).status_code == 401  # reading signatures needs a token
