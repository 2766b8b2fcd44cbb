"""The fundraising page is a public form: it tells no visitor what an email has given, writes
nothing onto a contact known before (the address typed stays with the gift, for its
receipt), and a cheque or transfer pledge stops counting toward the cap after a delay."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from actions.donations import services
from actions.donations.models import Donation
from tests.factories import DriveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drive(db, settings):
    cache.clear()  # the per-address limit starts at zero
    settings.DONATION_CARD_PROVIDER = "fake_card"
    return DriveFactory()


def give(client, **extra):
    return client.post(
        reverse("donations:page", args=["municipales"]),
        {
            "first_name": "Lea",
            "last_name": "Inconnue",
            "email": "lea.garnier@example.fr",
            "street": "1 rue de la Paix",
            "postal_code": "75002",
            "commune": "Paris",
            "natural_person": "on",
            "french_or_resident": "on",
            "method": "cheque",
            **extra,
        },
    )


def paid_gift(drive, contact, cents: int) -> Donation:
    return services.donation_record(
        entity=drive.entity,
        contact=contact,
        amount_cents=cents,
        method="card",
        received_on=timezone.localdate(),
        natural_person=True,
        french_or_resident=True,
        online=False,
    ).donation


def test_a_refusal_states_the_cap_not_what_remains_for_that_email(client, drive, lyon_contact):
    paid_gift(drive, lyon_contact, 10_000)  # Léa gave 100 €
    response = give(client, other="4600,01")
    page = response.content.decode()
    assert response.status_code == 200
    assert "4\u202f600,00\u00a0€" in page
    assert "4 500,00" not in page
    assert Donation.objects.count() == 1


def test_a_refusal_reads_the_same_whatever_the_email_gave(client, drive, lyon_contact):
    paid_gift(drive, lyon_contact, 10_000)
    known = give(client, other="4600,01").context["form"].non_field_errors()
    unknown = (
        give(client, other="4600,01", email="nobody@example.fr").context["form"].non_field_errors()
    )
    assert known == unknown


def test_a_pledge_does_not_fill_the_address_of_a_known_contact(client, drive, lyon_contact):
    assert lyon_contact.street == ""
    assert give(client, other="50").status_code == 302
    lyon_contact.refresh_from_db()
    assert (lyon_contact.street, lyon_contact.postal_code, lyon_contact.commune) == (
        "",
        "69001",
        "Lyon 1er arrondissement",
    )
    assert lyon_contact.last_name == "Garnier"


def test_the_address_typed_is_kept_with_the_gift_for_its_receipt(client, drive, lyon_contact):
    give(client, other="50")
    donation = Donation.objects.get()
    assert donation.contact == lyon_contact
    assert donation.receipt_donor == {
        "name": "Lea Inconnue",
        "street": "1 rue de la Paix",
        "postal_code": "75002",
        "commune": "Paris",
    }


def test_the_receipt_names_the_donor_with_the_address_typed_with_the_gift(
    client, drive, lyon_contact
):
    from actions.donations.receipts import receipt_donor_lines

    give(client, other="50")

    assert receipt_donor_lines(Donation.objects.get()) == [
        "Donateur : Lea Inconnue",
        "1 rue de la Paix",
        "75002 Paris",
    ]


def test_a_new_donor_is_a_contact_with_the_address_typed(client, drive):
    give(client, other="50", email="nina@example.fr")
    contact = Donation.objects.get().contact
    assert (contact.last_name, contact.street, contact.commune) == (
        "Inconnue",
        "1 rue de la Paix",
        "Paris",
    )


def test_a_cheque_pledge_stops_blocking_real_gifts_after_the_delay(
    client, drive, lyon_contact, settings
):
    settings.DONATION_PLEDGE_EXPIRY_DAYS = 30
    assert give(client, other="4600").status_code == 302  # someone pledges under Léa's email
    assert give(client, other="50", method="card").status_code == 200  # refused: cap used
    Donation.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert give(client, other="50", method="card").status_code == 302


def test_a_pledge_still_counts_within_the_delay(client, drive, lyon_contact, settings):
    settings.DONATION_PLEDGE_EXPIRY_DAYS = 30
    give(client, other="4600")
    Donation.objects.update(created_at=timezone.now() - timedelta(days=29))
    assert give(client, other="50", method="card").status_code == 200
    assert Donation.objects.count() == 1


def test_an_expired_pledge_marked_paid_is_judged_again(drive, lyon_contact, admin_user, settings):
    settings.DONATION_PLEDGE_EXPIRY_DAYS = 30
    pledge = services.donation_record(
        entity=drive.entity,
        contact=lyon_contact,
        amount_cents=400_000,
        method="cheque",
        received_on=timezone.localdate(),
        natural_person=True,
        french_or_resident=True,
        online=True,
        status=Donation.Status.PLEDGED,
    ).donation
    Donation.objects.filter(pk=pledge.pk).update(created_at=timezone.now() - timedelta(days=40))
    paid_gift(drive, lyon_contact, 300_000)  # the room was used meanwhile
    pledge.refresh_from_db()
    services.donation_paid(donation=pledge, actor=admin_user)
    pledge.refresh_from_db()
    assert (pledge.status, pledge.refund_cents) == ("to_refund", 240_000)
    assert pledge.receipt.amount_cents == 160_000  # the part kept has its receipt


def test_the_pledge_expiry_setting_refuses_a_bad_value():
    from tests.campaign.test_settings import start_django

    run = start_django(DONATION_PLEDGE_EXPIRY_DAYS="trente")
    assert run.returncode != 0
    assert "DONATION_PLEDGE_EXPIRY_DAYS" in run.stderr


def test_the_cnccfp_list_gives_the_address_typed_with_the_gift_when_the_record_has_none(
    client, client_as, drive, lyon_contact, admin_user
):
    give(client, other="50", method="card")
    Donation.objects.update(status=Donation.Status.PAID)
    response = client_as(admin_user).get(
        reverse("donations:donor_list"), {"entity": drive.entity.pk}
    )
    text = b"".join(response.streaming_content).decode()
    assert "Garnier,Léa,1 rue de la Paix,75002,Paris,50.00" in text
