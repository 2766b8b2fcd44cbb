"""French political-finance law at its boundaries: the caps, the cash line, the party's
calendar year, who may give; a provider transaction recorded once."""

from datetime import date

import pytest
from django.urls import reverse

from actions.donations import services
from actions.donations.models import Donation, Entity
from campaign.exceptions import ApplicationError
from contacts import services as contact_services
from contacts.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def donor(db):
    return contact_services.contact_create(
        actor=None, source=Source.MANUAL, first_name="Léa", last_name="Garnier"
    )


@pytest.fixture
def candidate(db):
    return Entity.objects.create(
        name="Garnier 2026", kind=Entity.Kind.CANDIDATE, spending_limit_cents=2_000_000
    )


@pytest.fixture
def party(db):
    return Entity.objects.create(name="Parti", kind=Entity.Kind.PARTY)


def give(entity, donor, amount, *, method="card", online=True, on=date(2026, 6, 1), **extra):
    return services.donation_record(
        entity=entity,
        contact=donor,
        amount_cents=services.cents(amount),
        method=method,
        received_on=on,
        natural_person=extra.pop("natural_person", True),
        french_or_resident=extra.pop("french_or_resident", True),
        online=online,
        **extra,
    )


def test_a_candidate_takes_4600_euros_from_one_donor_and_not_a_cent_more(candidate, donor):
    give(candidate, donor, "4000.00")
    give(candidate, donor, "600.00")  # 4,600.00 in all: lawful
    with pytest.raises(ApplicationError, match="4\u202f600,00\u00a0€"):
        give(candidate, donor, "0.01")
    assert Donation.objects.count() == 2


def test_a_single_gift_of_4600_01_euros_is_refused_online(candidate, donor):
    with pytest.raises(ApplicationError):
        give(candidate, donor, "4600.01")
    give(candidate, donor, "4600.00")


def test_a_cheque_over_the_cap_recorded_by_hand_keeps_the_excess_to_refund(candidate, donor):
    give(candidate, donor, "4000")
    recorded = give(candidate, donor, "1000", method="cheque", online=False).donation
    assert (recorded.status, recorded.refund_cents, recorded.kept_cents) == (
        "to_refund",
        40_000,
        60_000,
    )


def test_cash_is_taken_up_to_150_euros_and_not_beyond(candidate, donor):
    give(candidate, donor, "150.00", method="cash")
    with pytest.raises(ApplicationError, match="150,00"):
        give(candidate, donor, "150.01", method="cash")
    by_hand = give(candidate, donor, "200", method="cash", online=False).donation
    assert by_hand.status == "to_refund" and by_hand.refund_cents == 20_000


def test_cash_gifts_together_stay_under_a_fifth_of_the_spending_limit(candidate, db):
    """Limit 20,000 €: cash is capped at 4,000 €, whoever gives it."""

    def someone(i):
        return contact_services.contact_create(
            actor=None, source=Source.MANUAL, first_name=f"D{i}", last_name="X"
        )

    for i in range(26):  # 26 × 150 € = 3,900 €
        give(candidate, someone(i), "150", method="cash")
    last = someone(99)
    give(candidate, last, "100", method="cash")  # 4,000.00 exactly
    with pytest.raises(ApplicationError, match="20 %"):
        give(candidate, last, "0.01", method="cash")
    give(candidate, last, "0.01", method="cheque")  # other ways stay open


def test_a_party_counts_gifts_and_fees_per_calendar_year(party, donor):
    give(party, donor, "7000", on=date(2026, 12, 31))
    give(party, donor, "500", kind=Donation.Kind.MEMBERSHIP, on=date(2026, 12, 31))
    with pytest.raises(ApplicationError, match="7\u202f500,00\u00a0€"):
        give(party, donor, "0.01", on=date(2026, 12, 31))
    give(party, donor, "7500", on=date(2027, 1, 1))  # a new year, a new cap


def test_a_company_or_a_foreigner_abroad_cannot_give(candidate, donor):
    with pytest.raises(ApplicationError, match="personnes physiques"):
        give(candidate, donor, "50", natural_person=False)
    with pytest.raises(ApplicationError, match="nationalité française"):
        give(candidate, donor, "50", french_or_resident=False)


def test_a_provider_transaction_imported_twice_is_recorded_once(candidate, donor):
    first = give(candidate, donor, "35", online=False, provider="helloasso", provider_txn_id="T1")
    again = give(candidate, donor, "35", online=False, provider="helloasso", provider_txn_id="T1")
    assert first.created and not again.created and Donation.objects.count() == 1


def test_money_is_never_a_float():
    assert services.cents("12,50") == 1250 and services.cents("4 600,00") == 460_000
    with pytest.raises(TypeError):
        services.cents(12.5)
    with pytest.raises(ApplicationError):
        services.cents("12.505")


@pytest.mark.django_db(transaction=True)
def test_two_gifts_at_the_same_instant_cannot_both_slip_under_the_cap(candidate, donor):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time already")
    outcomes, start = [], threading.Barrier(2)

    def one():
        from django.db import connections

        start.wait()
        try:
            give(candidate, donor, "3000")
            outcomes.append("taken")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "taken"]
    assert Donation.objects.get().amount_cents == 300_000


def test_staff_record_a_cheque_by_hand_and_see_it_in_the_list(
    client_as, admin_user, candidate, donor
):
    client = client_as(admin_user)
    response = client.post(
        f"{reverse('donations:new')}?contact={donor.pk}",
        {
            "entity": candidate.pk,
            "amount": "5 000,00",
            "method": "cheque",
            "kind": "gift",
            "received_on": "2026-11-20",
            "natural_person": "on",
            "french_or_resident": "on",
        },
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.amount_cents, donation.refund_cents) == (500_000, 40_000)
    listing = client.get(reverse("donations:list")).content.decode()
    assert "Garnier" in listing and "4\u202f600,00\u00a0€" in listing  # kept, less the refund


def test_the_segment_filter_adds_up_what_each_donor_gave(candidate, donor, db):
    from campaign.models import Territory
    from contacts.models import Contact
    from contacts.segments.filters import SegmentFilters, apply_filters

    give(candidate, donor, "30")
    give(candidate, donor, "25")
    wanted = SegmentFilters(actions={"donated": {"cents": "5000"}})
    found = apply_filters(Contact.objects.all(), wanted, territories=Territory.objects.all())
    assert list(found) == [donor]
    wanted = SegmentFilters(actions={"donated": {"cents": "10000"}})
    assert not apply_filters(Contact.objects.all(), wanted, territories=Territory.objects.all())
