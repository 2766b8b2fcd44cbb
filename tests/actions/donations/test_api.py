"""Fundraising pages and donations in the OSDI API: a gift received elsewhere is recorded
like one typed by hand, so the law applies, and a payment reference counts once."""

from datetime import date

import pytest

from actions.donations.models import Donation, Drive
from campaign.api.tokens import api_token_create
from contacts.models import Contact

pytestmark = pytest.mark.django_db


def gift(amount="35.00", reference="txn-1", email="nina@example.fr", declared=True, **extra):
    body = {
        "person": {
            "given_name": "Nina",
            "family_name": "Roux",
            "email_addresses": [{"address": email}],
            "postal_addresses": [{"address_lines": ["3 rue Terme"], "postal_code": "69001"}],
        },
        "recipients": [{"display_name": "Campagne", "amount": amount}],
        "payment": {"method": "Check", "reference_number": reference},
        "action_date": "2026-11-02",
        **extra,
    }
    if declared:
        body["declarations"] = {"natural_person": True, "french_or_resident": True}
    return body


@pytest.fixture
def staff(api, admin_user):
    return api(admin_user, name="HelloAsso")


def test_a_gift_is_recorded_once_per_payment_reference_with_its_receipt(staff, fundraising_page):
    url = f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations"

    made = staff.post(url, gift(), content_type="application/json")
    again = staff.post(url, gift(), content_type="application/json")

    assert (made.status_code, again.status_code) == (201, 200)
    donation = Donation.objects.get()
    assert (donation.amount_cents, donation.method, donation.status) == (3_500, "cheque", "paid")
    assert donation.received_on == date(2026, 11, 2) and donation.drive == fundraising_page
    assert donation.receipt.number == 1
    assert made.json()["amount"] == "35.00" and made.json()["terrain:status"] == "paid"
    assert donation.contact.stage_events.filter(stage=4).exists()  # a donor, in the funnel


def test_the_law_applies_a_gift_over_the_cap_or_undeclared_is_to_refund(staff, fundraising_page):
    url = f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations"

    over = staff.post(url, gift(amount="4600.01", reference="big"), content_type="application/json")
    undeclared = staff.post(
        url,
        gift(reference="anon", email="x@example.fr", declared=False),
        content_type="application/json",
    )

    assert over.status_code == 201
    assert (over.json()["terrain:status"], over.json()["terrain:to_refund"]) == (
        "to_refund",
        "0.01",
    )
    assert undeclared.json()["terrain:to_refund"] == "35.00"


def test_pages_show_their_totals_and_a_draft_only_to_staff(client, staff, fundraising_page):
    Drive.objects.create(
        entity=fundraising_page.entity, slug="brouillon", title="Brouillon", story="…", goal_cents=1
    )
    staff.post(
        f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations",
        gift(),
        content_type="application/json",
    )

    public = client.__class__().get("/api/v1/fundraising_pages").json()
    seen_by_staff = staff.get("/api/v1/fundraising_pages").json()

    [shown] = public["_embedded"]["osdi:fundraising_pages"]
    assert (shown["title"], shown["total_donations"], shown["total_amount"]) == (
        "Financez",
        1,
        "35.00",
    )
    assert seen_by_staff["total_records"] == 2


def test_an_organizer_records_and_sees_gifts_of_their_territories_only(
    client, fundraising_page, organizer_lyon
):
    _token, key = api_token_create(user=organizer_lyon, name="tests")
    url = f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations"

    outside = client.post(
        url,
        gift() | {"person": gift()["person"] | {"postal_addresses": [{"postal_code": "75011"}]}},
        content_type="application/json",
        HTTP_OSDI_API_TOKEN=key,
    )

    assert outside.status_code == 400
    assert not Contact.objects.exists() and not Donation.objects.exists()
    assert client.get(url, HTTP_OSDI_API_TOKEN=key).json()["total_records"] == 0
