"""The public fundraising page end to end, with the fake card provider and the manual one."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from actions.donations.models import Donation, Drive
from tests.factories import DriveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fake_card(settings):
    settings.DONATION_CARD_PROVIDER = "fake_card"


@pytest.fixture
def drive(db):
    return DriveFactory(story="Chaque don **compte**.")


def donor(**extra):
    return {
        "first_name": "Léa",
        "last_name": "Garnier",
        "email": "Lea.Garnier@example.fr",
        "street": "3 rue Terme",
        "postal_code": "69001",
        "commune": "Lyon",
        "natural_person": "on",
        "french_or_resident": "on",
        **extra,
    }


def test_a_card_gift_from_the_page_to_the_thank_you_with_the_thermometer(client, drive):
    page = client.get(reverse("donations:page", args=["municipales"])).content.decode()
    assert "35\u00a0€" in page and "<strong>compte</strong>" in page  # suggested, Markdown
    response = client.post(
        reverse("donations:page", args=["municipales"]),
        donor(amount="3500", method="card"),
    )
    card_page = response["Location"]
    assert "/don/fake-card/" in card_page
    assert Donation.objects.get().status == "pledged"
    declined = client.post(card_page, {"number": "4000 0000 0000 0002"})
    assert "Carte refusée." in declined.content.decode()  # French, the default language
    thanks = client.post(card_page, {"number": "4242 4242 4242 4242"}, follow=True)
    donation = Donation.objects.get()
    assert donation.status == "paid" and donation.provider_txn_id.startswith("fake_")
    assert "35,00\u00a0€" in thanks.content.decode()
    assert donation.contact.emails.get().address == "lea.garnier@example.fr"
    assert donation.contact.source == "donation"
    again = client.get(reverse("donations:page", args=["municipales"])).content.decode()
    assert re.search(r"<strong>35,00\u00a0€</strong>", again)  # the thermometer moved


def test_a_cheque_pledge_says_who_to_make_it_out_to(client, drive, settings):
    settings.DONATION_CHEQUE_ORDER = "AFCE Léa Garnier"
    response = client.post(
        reverse("donations:page", args=["municipales"]),
        donor(other="120,50", method="cheque"),
        follow=True,
    )
    assert "AFCE Léa Garnier" in response.content.decode()
    donation = Donation.objects.get()
    assert (donation.amount_cents, donation.status, donation.method) == (
        12_050,
        "pledged",
        "cheque",
    )


def test_a_gift_over_the_cap_is_refused_on_the_page_with_the_reason(client, drive):
    client.post(
        reverse("donations:page", args=["municipales"]), donor(other="4000", method="cheque")
    )
    response = client.post(
        reverse("donations:page", args=["municipales"]), donor(other="600,01", method="cheque")
    )
    assert response.status_code == 200
    assert "4\u202f600,00\u00a0€" in response.content.decode()  # the cap, not what is left of it
    assert Donation.objects.count() == 1


def test_without_the_declarations_nothing_is_taken(client, drive):
    response = client.post(
        reverse("donations:page", args=["municipales"]),
        donor(amount="2000", method="card", natural_person=""),
    )
    assert response.status_code == 200 and not Donation.objects.exists()


def test_an_abandoned_card_payment_does_not_count(client, drive):
    response = client.post(
        reverse("donations:page", args=["municipales"]), donor(other="4600", method="card")
    )
    client.post(response["Location"], {"cancel": "1"})
    assert Donation.objects.get().status == "cancelled"
    again = client.post(
        reverse("donations:page", args=["municipales"]), donor(other="4600", method="cheque")
    )
    assert again.status_code == 302  # the cancelled 4,600 € did not use the cap up


def test_a_draft_page_is_not_found(client, drive):
    Drive.objects.filter(pk=drive.pk).update(status=Drive.Status.DRAFT)
    assert client.get(reverse("donations:page", args=["municipales"])).status_code == 404


def test_the_source_of_the_link_is_kept_for_the_reports(client, client_as, admin_user, drive):
    page = client.get(reverse("donations:page", args=["municipales"]), {"utm_source": "newsletter"})
    assert 'name="utm_source" value="newsletter"' in page.content.decode()
    response = client.post(
        reverse("donations:page", args=["municipales"]),
        donor(amount="5000", method="card", utm_source="newsletter"),
    )
    client.post(response["Location"], {"number": "4242424242424242"})
    report = client_as(admin_user).get(reverse("donations:list")).context["report"]
    assert report["by_source"] == [{"utm_source": "newsletter", "kept": 5000, "gifts": 1}]


def test_a_monthly_donor_stops_their_gift_with_the_link_they_were_given(client, drive):
    from actions.donations import services

    response = client.post(
        reverse("donations:page", args=["municipales"]),
        donor(amount="2000", method="card", monthly="on"),
    )
    thanks = client.post(response["Location"], {"number": "4242424242424242"}, follow=True)
    link = re.search(r'href="(/don/stop/[^"]+)"', thanks.content.decode()).group(1)
    client.get(link)  # a link scanner, or the donor reading: nothing stops yet
    assert Donation.objects.get().stopped_at is None
    client.post(link)
    assert Donation.objects.get().stopped_at is not None
    from datetime import timedelta

    from django.utils import timezone

    assert services.monthly_collect(today=timezone.localdate() + timedelta(days=40))["taken"] == 0
    assert client.get("/don/stop/forged-token/").status_code == 404


@override_settings(DONATION_ATTEMPTS_PER_IP_PER_MINUTE=2)
def test_too_many_gifts_tried_from_one_address_are_told_to_wait(client, drive):
    from django.core.cache import cache

    cache.clear()
    url = reverse("donations:page", args=[drive.slug])
    for _ in range(2):
        client.post(url, {"amount": "x"})  # refused by the form, but counted

    refused = client.post(url, {"amount": "x"})

    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    assert not Donation.objects.exists()
