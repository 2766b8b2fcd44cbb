"""Monthly gifts: each month taken once on its day, judged against the caps, stoppable."""

from datetime import date

import pytest
from django.urls import reverse

from actions.donations import services
from actions.donations.models import Donation, Entity, Receipt
from contacts import services as contact_services
from contacts.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def mandate(db, settings):
    settings.DONATION_CARD_PROVIDER = "fake_card"
    entity = Entity.objects.create(name="Parti", kind=Entity.Kind.PARTY)
    donor = contact_services.contact_create(
        actor=None, source=Source.MANUAL, first_name="Léa", last_name="Garnier"
    )
    first = services.donation_record(
        entity=entity,
        contact=donor,
        amount_cents=300_000,
        method="card",
        received_on=date(2026, 1, 31),
        natural_person=True,
        french_or_resident=True,
        online=True,
        provider="fake_card",
    ).donation
    Donation.objects.filter(pk=first.pk).update(monthly=True)
    first.refresh_from_db()
    return first


def test_each_month_is_taken_once_on_its_day_and_gets_its_receipt(mandate):
    assert services.monthly_collect(today=date(2026, 2, 27)) == {"taken": 0, "stopped": 0}
    assert services.monthly_collect(today=date(2026, 2, 28)) == {"taken": 1, "stopped": 0}
    assert services.monthly_collect(today=date(2026, 2, 28))["taken"] == 0  # run twice
    month = Donation.objects.get(series=mandate)
    assert (month.status, month.received_on, month.amount_cents) == (
        "paid",
        date(2026, 2, 28),  # the 31st, in February
        300_000,
    )
    assert Receipt.objects.count() == 2


def test_a_month_over_the_yearly_cap_stops_the_series_with_the_reason(mandate):
    services.monthly_collect(today=date(2026, 2, 28))  # 6,000 € this year
    assert services.monthly_collect(today=date(2026, 3, 31)) == {"taken": 0, "stopped": 1}
    mandate.refresh_from_db()
    assert mandate.stopped_at is not None and "7\u202f500,00\u00a0€" in mandate.note
    assert services.monthly_collect(today=date(2026, 4, 30))["taken"] == 0


def test_staff_stop_a_monthly_gift_and_see_the_monthly_revenue(client_as, admin_user, mandate):
    client = client_as(admin_user)
    listing = client.get(reverse("donations:list"))
    assert listing.context["summary"]["mrr"] == 300_000
    assert "3\u202f000,00\u00a0€" in listing.content.decode()
    client.post(reverse("donations:action", args=[mandate.pk, "stop"]))
    assert services.monthly_collect(today=date(2026, 2, 28))["taken"] == 0
    assert client.get(reverse("donations:list")).context["summary"]["mrr"] == 0
