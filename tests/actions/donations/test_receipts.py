"""Receipts: one gap-free sequence per entity (a party's per year, a candidate's per
campaign: test_receipts_law.py), even under concurrent gifts; voiding keeps the number; a
PDF with the tax statement."""

import threading
from datetime import date

import pytest
from django.urls import reverse

from actions.donations import services
from actions.donations.models import Donation, Entity, Receipt
from contacts import services as contact_services
from contacts.models import Source
from tests.factories import EntityFactory


def person(i=0):
    return contact_services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name=f"Donor{i}",
        last_name="Martin",
        street="3 rue Terme",
        postal_code="69001",
        commune="Lyon",
    )


def paid(entity, contact, amount="35", on=date(2026, 6, 1), method="cheque"):
    return services.donation_record(
        entity=entity,
        contact=contact,
        amount_cents=services.cents(amount),
        method=method,
        received_on=on,
        natural_person=True,
        french_or_resident=True,
        online=False,
    ).donation


@pytest.mark.django_db
def test_each_paid_gift_to_a_party_gets_the_next_number_of_its_year():
    entity = EntityFactory(name="Parti de la Terre", kind=Entity.Kind.PARTY)
    a, b = paid(entity, person(1)), paid(entity, person(2))
    c = paid(entity, person(3), on=date(2027, 1, 2))
    assert [a.receipt.reference, b.receipt.reference] == ["2026-000001", "2026-000002"]
    assert c.receipt.reference == "2027-000001"
    assert services.receipt_issue(donation=a) == a.receipt  # asked again: the same one


@pytest.mark.django_db
def test_a_pledge_has_no_receipt_until_it_is_paid(entity):
    pledge = services.donation_record(
        entity=entity,
        contact=person(),
        amount_cents=5000,
        method="transfer",
        received_on=date(2026, 6, 1),
        natural_person=True,
        french_or_resident=True,
        online=True,
        status=Donation.Status.PLEDGED,
    ).donation
    assert not Receipt.objects.exists()
    services.donation_paid(donation=pledge, actor=None)
    assert Receipt.objects.get().donation == pledge


@pytest.mark.django_db
def test_voiding_keeps_the_number_and_the_next_gift_takes_the_following_one(
    entity, client_as, admin_user
):
    first = paid(entity, person(1))
    client = client_as(admin_user)
    client.post(
        reverse("donations:action", args=[first.pk, "void"]), {"reason": "Erreur de saisie"}
    )
    first.receipt.refresh_from_db()
    assert first.receipt.voided_at is not None and first.receipt.number == 1
    assert paid(entity, person(2)).receipt.number == 2
    pdf = client.get(reverse("donations:receipt", args=[first.receipt.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_gifts_at_the_same_instant_get_numbers_without_gap_or_repeat(entity):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time already")
    donors = [person(i) for i in range(8)]
    start = threading.Barrier(len(donors))
    errors = []

    def give(contact):
        start.wait()
        try:
            paid(entity, contact)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=give, args=(d,)) for d in donors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, 9))
