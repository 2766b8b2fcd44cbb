"""A person's own collections in the OSDI API, as Action Network links them from a person:
/people/<id>/signatures and /people/<id>/donations, in the shapes of the petitions' and the
fundraising pages', for a person the caller may see."""

from datetime import date

import pytest
from django.utils import timezone

from actions.donations.models import Donation
from actions.petitions.models import Signature
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(db):
    return PetitionFactory(slug="eau", title="Eau")


def gift(page, contact, *, amount_cents=3500, on_page=True) -> Donation:
    return Donation.objects.create(
        entity=page.entity,
        drive=page if on_page else None,
        contact=contact,
        amount_cents=amount_cents,
        method=Donation.Method.CHEQUE,
        status=Donation.Status.PAID,
        received_on=date(2026, 3, 1),
    )


def test_a_persons_signatures_are_their_confirmed_ones(api, admin_user, water, lyon_contact):
    other = PetitionFactory(slug="arbres", title="Arbres")
    signed = Signature.objects.create(
        petition=water, contact=lyon_contact, confirmed_at=timezone.now()
    )
    Signature.objects.create(petition=other, contact=lyon_contact)  # not confirmed yet

    page = api(admin_user).get(f"/api/v1/people/{lyon_contact.uuid}/signatures").json()

    [shown] = page["_embedded"]["osdi:signatures"]
    assert shown["identifiers"] == [f"terrain:{signed.pk}"]
    assert shown["_links"]["osdi:petition"]["href"].endswith(f"/api/v1/petitions/{water.pk}")
    assert shown["_links"]["osdi:person"]["href"].endswith(f"/api/v1/people/{lyon_contact.uuid}")


def test_a_persons_donations_are_listed_on_a_page_or_none(
    api, admin_user, fundraising_page, lyon_contact, paris_contact
):
    on_page = gift(fundraising_page, lyon_contact)
    by_hand = gift(fundraising_page, lyon_contact, amount_cents=2000, on_page=False)
    gift(fundraising_page, paris_contact)

    url = f"/api/v1/people/{lyon_contact.uuid}/donations"
    page = api(admin_user).get(url).json()

    first, second = page["_embedded"]["osdi:donations"]
    assert [first["amount"], second["amount"]] == ["35.00", "20.00"]
    assert first["_links"]["self"]["href"].endswith(
        f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations#{on_page.pk}"
    )
    assert second["_links"]["self"]["href"].endswith(f"{url}#{by_hand.pk}")
    assert "osdi:fundraising_page" not in second["_links"]


def test_an_organizer_cannot_read_the_collections_of_someone_outside_their_territories(
    api, organizer_lyon, water, fundraising_page, paris_contact
):
    Signature.objects.create(petition=water, contact=paris_contact, confirmed_at=timezone.now())
    gift(fundraising_page, paris_contact)
    client = api(organizer_lyon)

    signatures = client.get(f"/api/v1/people/{paris_contact.uuid}/signatures")
    donations = client.get(f"/api/v1/people/{paris_contact.uuid}/donations")

    assert (signatures.status_code, donations.status_code) == (404, 404)


def test_a_persons_collections_are_read_only(api, admin_user, lyon_contact):
    client = api(admin_user)

    signing = client.post(
        f"/api/v1/people/{lyon_contact.uuid}/signatures", {}, content_type="application/json"
    )
    giving = client.post(
        f"/api/v1/people/{lyon_contact.uuid}/donations", {}, content_type="application/json"
    )

    assert (signing.status_code, giving.status_code) == (405, 405)


def test_a_page_of_donations_still_links_each_gift_to_its_page(
    api, admin_user, fundraising_page, lyon_contact
):
    made = gift(fundraising_page, lyon_contact)

    page = api(admin_user).get(f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations")

    [shown] = page.json()["_embedded"]["osdi:donations"]
    assert shown["_links"]["self"]["href"].endswith(
        f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations#{made.pk}"
    )
    assert shown["_links"]["osdi:fundraising_page"]["href"].endswith(
        f"/api/v1/fundraising_pages/{fundraising_page.pk}"
    )


def test_all_donations_and_one_are_read_as_action_network_lists_them_within_scope(
    api, organizer_lyon, fundraising_page, lyon_contact, paris_contact
):
    on_page = gift(fundraising_page, lyon_contact)
    by_hand = gift(fundraising_page, lyon_contact, amount_cents=2000, on_page=False)
    hidden = gift(fundraising_page, paris_contact)
    client = api(organizer_lyon)

    page = client.get("/api/v1/donations").json()
    one = client.get(f"/api/v1/donations/{by_hand.pk}")
    out_of_scope = client.get(f"/api/v1/donations/{hidden.pk}")

    assert [d["identifiers"] for d in page["_embedded"]["osdi:donations"]] == [
        [f"terrain:{on_page.pk}"],
        [f"terrain:{by_hand.pk}"],
    ]
    assert one.json()["amount"] == "20.00"
    assert out_of_scope.status_code == 404


def test_the_metadata_links_to_the_custom_fields(api, admin_user):
    metadata = api(admin_user).get("/api/v1/metadata").json()

    assert metadata["_links"]["action_network:custom_fields"]["href"].endswith(
        "/api/v1/metadata/custom_fields"
    )


def test_one_signature_is_read_under_its_petition_and_under_its_signer_within_scope(
    api, organizer_lyon, water, lyon_contact, paris_contact
):
    signed = Signature.objects.create(
        petition=water, contact=lyon_contact, confirmed_at=timezone.now()
    )
    hidden = Signature.objects.create(
        petition=water, contact=paris_contact, confirmed_at=timezone.now()
    )
    client = api(organizer_lyon)

    under_petition = client.get(f"/api/v1/petitions/{water.pk}/signatures/{signed.pk}")
    under_signer = client.get(f"/api/v1/people/{lyon_contact.uuid}/signatures/{signed.pk}")
    out_of_scope = client.get(f"/api/v1/petitions/{water.pk}/signatures/{hidden.pk}")
    not_hers = client.get(f"/api/v1/people/{lyon_contact.uuid}/signatures/{hidden.pk}")

    assert under_petition.json()["identifiers"] == [f"terrain:{signed.pk}"]
    assert under_signer.json() == under_petition.json()
    assert (out_of_scope.status_code, not_hers.status_code) == (404, 404)
