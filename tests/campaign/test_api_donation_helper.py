"""The record_donation_helper counts a payment reference once per caller: the token's owner,
not the token's name, which two users may well both give to their tokens."""

import pytest

from actions.donations.models import Donation
from campaign.api.tokens import api_token_create
from campaign.models import User

pytestmark = pytest.mark.django_db


def gift(email: str, given_name: str) -> dict:
    return {
        "person": {
            "given_name": given_name,
            "family_name": "Roux",
            "email_addresses": [{"address": email}],
            "postal_addresses": [{"address_lines": ["3 rue Terme"], "postal_code": "69001"}],
        },
        "recipients": [{"display_name": "Campagne", "amount": "35.00"}],
        "payment": {"method": "Check", "reference_number": "txn-1"},
        "action_date": "2026-11-02",
        "declarations": {"natural_person": True, "french_or_resident": True},
    }


def test_another_users_token_of_the_same_name_records_its_own_gift(
    client, fundraising_page, admin_user
):
    treasurer = User.objects.create_user(username="tresorier", role=User.Role.ADMIN)
    _t, first_key = api_token_create(user=admin_user, name="HelloAsso")
    _t, second_key = api_token_create(user=treasurer, name="HelloAsso")
    url = f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations"

    first = client.post(
        url,
        gift("nina@example.fr", "Nina"),
        content_type="application/json",
        HTTP_OSDI_API_TOKEN=first_key,
    )
    second = client.post(
        url,
        gift("omar@example.fr", "Omar"),
        content_type="application/json",
        HTTP_OSDI_API_TOKEN=second_key,
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["identifiers"] != first.json()["identifiers"]
    donors = Donation.objects.order_by("pk").values_list("contact__first_name", flat=True)
    assert list(donors) == ["Nina", "Omar"]


def test_the_same_owner_sending_a_reference_again_gets_its_gift_back(
    client, fundraising_page, admin_user
):
    _t, key = api_token_create(user=admin_user, name="HelloAsso")
    url = f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations"
    body = gift("nina@example.fr", "Nina")

    first = client.post(url, body, content_type="application/json", HTTP_OSDI_API_TOKEN=key)
    again = client.post(url, body, content_type="application/json", HTTP_OSDI_API_TOKEN=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["identifiers"] == first.json()["identifiers"]
    assert Donation.objects.count() == 1


def test_a_gift_from_someone_erased_is_still_recorded_with_its_donor(
    client, fundraising_page, admin_user
):
    from contacts.models import Contact
    from contacts.privacy.services import contact_erase

    _t, key = api_token_create(user=admin_user, name="HelloAsso")
    url = f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations"
    client.post(
        url,
        gift("nina@example.fr", "Nina"),
        content_type="application/json",
        HTTP_OSDI_API_TOKEN=key,
    )
    contact_erase(contact=Contact.objects.get(), actor=admin_user, reason="art. 17")
    body = gift("nina@example.fr", "Nina")
    body["payment"]["reference_number"] = "txn-2"

    again = client.post(url, body, content_type="application/json", HTTP_OSDI_API_TOKEN=key)

    assert again.status_code == 201, again.json()
    assert Donation.objects.filter(provider_txn_id="txn-2").get().contact.first_name == "Nina"
