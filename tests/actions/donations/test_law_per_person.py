"""The caps hold per person across entities and over time: the candidates of one election
share 4,600 € (L52-8), all parties together 7,500 € a year with what the donor declares
giving the others (loi 88-227, 11-4), a candidate takes gifts in its financing period only
(L52-4), a payment confirmed late is judged again, and the part kept has its receipt.
Each case at the service, then through the door a gift comes in by."""

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actions.donations import rules, services
from actions.donations.forms import EntityForm
from actions.donations.models import Donation, ElectionKind, Entity
from campaign.exceptions import ApplicationError
from campaign.models import User
from tests.actions.donations.doors import staff_gift
from tests.factories import DriveFactory, EntityFactory

pytestmark = pytest.mark.django_db

# The refusals' words, in the campaign's language (French unless LANGUAGE_CODE says otherwise).
SHARED_CAP = "tous les candidats de cette élection réunis"
ALL_PARTIES = "ensemble des partis"
PERIOD = "sa période de financement"


@pytest.fixture(autouse=True)
def fake_card(settings):
    settings.DONATION_CARD_PROVIDER = "fake_card"


@pytest.fixture
def dupont(db):
    """A candidate's campaign for the legislative election of 2027, first constituency."""
    return EntityFactory(name="Dupont 2027", election="Législatives 2027")


@pytest.fixture
def martin(db):
    """Another candidate's campaign in the same election."""
    return EntityFactory(name="Martin 2027", election="législatives  2027")


@pytest.fixture
def party(db):
    return EntityFactory(name="Parti écologiste", kind=Entity.Kind.PARTY)


def give(entity, contact, cents, *, online=False, on=None, method="cheque", **extra):
    return services.donation_record(
        entity=entity,
        contact=contact,
        amount_cents=cents,
        method=method,
        received_on=on or timezone.localdate(),
        natural_person=True,
        french_or_resident=True,
        online=online,
        **extra,
    ).donation


def page_gift(client, slug, **fields):
    return client.post(
        reverse("donations:page", args=[slug]),
        {
            "first_name": "Léa",
            "last_name": "Garnier",
            "email": "lea.garnier@example.fr",
            "street": "3 rue Terme",
            "postal_code": "69001",
            "commune": "Lyon",
            "natural_person": "on",
            "french_or_resident": "on",
            "method": "cheque",
            **fields,
        },
    )


def api_gift(client, page, amount, *, reference, action_date=None, **declarations):
    return client.post(
        f"/api/v1/fundraising_pages/{page.pk}/donations",
        {
            "person": {
                "given_name": "Léa",
                "family_name": "Garnier",
                "email_addresses": [{"address": "lea.garnier@example.fr"}],
            },
            "recipients": [{"amount": amount}],
            "payment": {"method": "Check", "reference_number": reference},
            "action_date": (action_date or timezone.localdate()).isoformat(),
            "declarations": {"natural_person": True, "french_or_resident": True, **declarations},
        },
        content_type="application/json",
    )


# L52-8: the candidates of one election share the cap


def test_two_candidates_of_the_same_election_share_one_cap(dupont, martin, lyon_contact):
    give(dupont, lyon_contact, 460_000)

    with pytest.raises(ApplicationError, match=SHARED_CAP):
        give(martin, lyon_contact, 100, online=True)
    by_hand = give(martin, lyon_contact, 10_000)

    assert (by_hand.status, by_hand.refund_cents) == ("to_refund", 10_000)


def test_entities_of_one_kind_of_election_on_one_day_share_the_cap_whatever_their_names(
    lyon_contact,
):
    first = EntityFactory(
        election="Législatives 2027, 1re circonscription du Rhône",
        election_kind=ElectionKind.LEGISLATIVE,
        election_day=date(2027, 6, 13),
    )
    third = EntityFactory(
        election="Législatives 2027, 3e circonscription du Rhône",
        election_kind=ElectionKind.LEGISLATIVE,
        election_day=date(2027, 6, 13),
    )
    on = date(2027, 3, 1)  # within their financing period
    give(first, lyon_contact, 300_000, on=on)

    kept = give(third, lyon_contact, 200_000, on=on)

    assert (kept.status, kept.refund_cents) == ("to_refund", 40_000)


def test_candidates_of_different_elections_each_have_their_own_cap(dupont, lyon_contact):
    other = EntityFactory(name="Garnier 2028", election="Municipales 2028, Lyon")
    give(dupont, lyon_contact, 460_000)

    assert give(other, lyon_contact, 460_000, online=True).status == "paid"


def test_the_public_page_refuses_a_gift_over_the_election_shared_cap(client, dupont, martin):
    DriveFactory(entity=dupont, slug="dupont")
    DriveFactory(entity=martin, slug="martin")
    assert page_gift(client, "dupont", other="4600").status_code == 302

    refused = page_gift(client, "martin", other="10")

    assert SHARED_CAP in refused.content.decode()
    assert Donation.objects.filter(entity=martin).count() == 0


def test_the_staff_form_keeps_a_gift_over_the_shared_cap_to_refund(
    client, admin_user, dupont, martin, lyon_contact
):
    give(dupont, lyon_contact, 460_000)
    client.force_login(admin_user)

    staff_gift(client, lyon_contact, martin, "50")

    gift = Donation.objects.get(entity=martin)
    assert (gift.status, gift.refund_cents) == ("to_refund", 5_000)
    assert SHARED_CAP in gift.note


# Loi 88-227, art. 11-4: 7,500 € a year for all parties together


def test_a_party_counts_what_the_donor_declares_giving_other_parties(party, lyon_contact):
    with pytest.raises(ApplicationError, match=ALL_PARTIES):
        give(party, lyon_contact, 300_000, online=True, other_parties_cents=500_000)

    assert give(party, lyon_contact, 250_000, online=True, other_parties_cents=500_000)


def test_a_declaration_made_with_an_earlier_gift_still_counts_that_year(party, lyon_contact):
    give(party, lyon_contact, 100_000, on=date(2026, 3, 1), other_parties_cents=600_000)

    later = give(party, lyon_contact, 100_000, on=date(2026, 9, 1))
    next_year = give(party, lyon_contact, 100_000, on=date(2027, 1, 2))

    assert (later.status, later.refund_cents) == ("to_refund", 50_000)
    assert next_year.status == "paid"


def test_two_parties_in_terrain_share_the_yearly_cap(party, lyon_contact):
    other = EntityFactory(name="Parti voisin", kind=Entity.Kind.PARTY)
    give(other, lyon_contact, 700_000)

    with pytest.raises(ApplicationError, match=ALL_PARTIES):
        give(party, lyon_contact, 60_000, online=True)


def test_a_party_page_asks_what_the_donor_gave_other_parties(client, party):
    DriveFactory(entity=party, slug="parti")
    DriveFactory(slug="candidat")

    unanswered = page_gift(client, "parti", other="35")

    assert "Indiquez ce que vous avez donné" in unanswered.content.decode()
    assert 'name="other_parties"' not in client.get("/don/candidat/").content.decode()
    assert Donation.objects.count() == 0


def test_a_party_page_refuses_a_gift_over_the_cap_with_the_declaration(client, party):
    DriveFactory(entity=party, slug="parti")

    refused = page_gift(client, "parti", other="3000", other_parties="5 000")
    taken = page_gift(client, "parti", other="2500", other_parties="5 000")

    assert ALL_PARTIES in refused.content.decode()
    assert taken.status_code == 302
    assert Donation.objects.get().other_parties_cents == 500_000


def test_the_staff_form_counts_the_declaration(client, admin_user, party, lyon_contact):
    client.force_login(admin_user)

    staff_gift(client, lyon_contact, party, "1000", other_parties="7000")

    gift = Donation.objects.get()
    assert (gift.status, gift.refund_cents, gift.other_parties_cents) == (
        "to_refund",
        50_000,
        700_000,
    )


def test_the_api_counts_the_declaration(api, admin_user, party):
    page = DriveFactory(entity=party, slug="parti")

    response = api_gift(
        api(admin_user), page, "1000.00", reference="p-1", other_parties_amount="7000.00"
    )

    assert response.json()["terrain:to_refund"] == "500.00"


def test_the_refusals_say_the_caps_are_shared_in_english_too(dupont, martin, party, lyon_contact):
    give(dupont, lyon_contact, 460_000)

    with translation.override("en"):
        with pytest.raises(ApplicationError, match="all the candidates of that election together"):
            give(martin, lyon_contact, 100, online=True)
        with pytest.raises(ApplicationError, match="for all parties together"):
            give(party, lyon_contact, 100, online=True, other_parties_cents=750_000)


# L52-4: a candidate's financing period


def test_the_financing_period_runs_from_six_months_before_to_the_accounts_due_date():
    assert rules.financing_period(
        election_kind=ElectionKind.LEGISLATIVE, election_day=date(2027, 6, 13)
    ) == (date(2026, 12, 1), date(2027, 8, 20))  # the tenth Friday after the first round
    assert rules.financing_period(
        election_kind=ElectionKind.PRESIDENTIAL, election_day=date(2027, 4, 11)
    ) == (date(2026, 4, 1), date(2027, 6, 18))


@pytest.fixture
def municipales(db):
    """A campaign for the municipal election of 15 March 2026: gifts from 1 September 2025
    to 22 May 2026, from its election alone."""
    return EntityFactory(
        name="Garnier 2026",
        election="Municipales 2026, Lyon",
        election_kind=ElectionKind.MUNICIPAL,
        election_day=date(2026, 3, 15),
    )


def test_a_gift_outside_the_financing_period_is_refused_online_and_to_refund_otherwise(
    municipales, lyon_contact
):
    with pytest.raises(ApplicationError, match=PERIOD):
        give(municipales, lyon_contact, 5_000, online=True, on=date(2031, 1, 5))
    late = give(municipales, lyon_contact, 5_000, on=date(2031, 1, 5))
    early = give(municipales, lyon_contact, 5_000, on=date(2025, 8, 31))
    within = give(municipales, lyon_contact, 5_000, on=date(2026, 5, 22))

    assert (late.status, late.refund_cents) == ("to_refund", 5_000)
    assert (early.status, early.refund_cents) == ("to_refund", 5_000)
    assert late.receipt is None
    assert within.status == "paid"


def test_an_entity_s_own_dates_replace_the_default_period(lyon_contact):
    filed_early = EntityFactory(
        election_kind=ElectionKind.MUNICIPAL,
        election_day=date(2026, 3, 15),
        financing_until=date(2026, 4, 30),
    )

    assert give(filed_early, lyon_contact, 5_000, on=date(2026, 5, 2)).refund_cents == 5_000


def test_a_party_has_no_financing_period(party, lyon_contact):
    assert give(party, lyon_contact, 5_000, on=date(2031, 1, 5)).status == "paid"


def test_the_public_page_refuses_a_gift_after_the_financing_period(client, municipales):
    DriveFactory(entity=municipales, slug="garnier")  # today is after 22 May 2026

    refused = page_gift(client, "garnier", other="35")

    assert PERIOD in refused.content.decode()
    assert Donation.objects.count() == 0


def test_the_api_keeps_a_gift_dated_outside_the_period_to_refund(api, admin_user, municipales):
    page = DriveFactory(entity=municipales, slug="garnier")

    response = api_gift(
        api(admin_user), page, "35.00", reference="late", action_date=date(2031, 1, 5)
    )

    assert (response.json()["terrain:status"], response.json()["terrain:to_refund"]) == (
        "to_refund",
        "35.00",
    )


def test_the_admin_fills_the_financing_period_from_the_election(client):
    client.force_login(User.objects.create_superuser(username="root", password="x" * 12))

    client.post(
        reverse("admin:donations_entity_add"),
        {
            "name": "Dupont 2027",
            "kind": "candidate",
            "election": "Législatives 2027",
            "election_kind": "legislative",
            "election_day": "2027-06-13",
        },
    )

    entity = Entity.objects.get()
    assert (entity.financing_from, entity.financing_until) == (
        date(2026, 12, 1),
        date(2027, 8, 20),
    )


def test_the_entity_form_refuses_a_financing_period_for_a_party():
    form = EntityForm(
        {"name": "Parti", "kind": "party", "financing_from": "2026-01-01", "election": ""}
    )

    assert form.errors["financing_from"] == [
        "Un parti collecte des fonds toute l'année : il n'a pas de période de financement."
    ]


# A payment confirmed late is judged again


def _age(donation, hours=2):
    Donation.objects.filter(pk=donation.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def test_a_card_payment_confirmed_late_over_the_cap_is_kept_to_refund(dupont, lyon_contact):
    pledge = give(
        dupont,
        lyon_contact,
        460_000,
        online=True,
        method="card",
        status="pledged",
        provider="fake_card",
        stored={"checkout": uuid.uuid4()},
    )
    _age(pledge)  # left over an hour: it stopped counting
    give(dupont, lyon_contact, 460_000)  # so a cheque of 4,600 € was taken

    settled = services.donation_settled(
        checkout=pledge.checkout, provider_name="fake_card", txn_id="ch_1", paid=True
    )

    assert (settled.status, settled.refund_cents) == ("to_refund", 460_000)
    assert settled.receipt is None


def test_a_card_payment_is_judged_again_against_the_other_candidates_of_its_election(
    dupont, martin, lyon_contact
):
    pledge = give(
        dupont,
        lyon_contact,
        460_000,
        online=True,
        method="card",
        status="pledged",
        provider="fake_card",
        stored={"checkout": uuid.uuid4()},
    )
    _age(pledge)
    give(martin, lyon_contact, 460_000)

    settled = services.donation_settled(
        checkout=pledge.checkout, provider_name="fake_card", txn_id="ch_1", paid=True
    )

    assert (settled.status, settled.refund_cents) == ("to_refund", 460_000)


def test_the_fake_card_confirming_late_keeps_the_excess_to_refund_with_a_receipt_for_the_rest(
    client, dupont, lyon_contact
):
    DriveFactory(entity=dupont, slug="dupont")
    page_gift(client, "dupont", other="4600", method="card")
    pledge = Donation.objects.get()
    _age(pledge)
    give(dupont, Donation.objects.get().contact, 100_000)  # 1,000 € by cheque meanwhile

    paid = client.post(
        reverse("donations:fake_card", args=[pledge.checkout]),
        {"number": "4242424242424242"},
        follow=True,
    )

    pledge.refresh_from_db()
    assert (pledge.status, pledge.refund_cents) == ("to_refund", 100_000)
    assert pledge.receipt.amount_cents == 360_000
    assert SHARED_CAP in pledge.note
    assert "le mandataire financier vous remboursera" in paid.content.decode()


def test_a_cheque_pledge_marked_paid_is_judged_against_the_other_entity_of_its_election(
    client, admin_user, dupont, martin
):
    DriveFactory(entity=dupont, slug="dupont")
    page_gift(client, "dupont", other="4600")  # a cheque promised, not arrived
    pledge = Donation.objects.get()
    Donation.objects.filter(pk=pledge.pk).update(created_at=timezone.now() - timedelta(days=400))
    give(martin, pledge.contact, 460_000)
    client.force_login(admin_user)

    client.post(reverse("donations:action", args=[pledge.pk, "paid"]))

    pledge.refresh_from_db()
    assert (pledge.status, pledge.refund_cents) == ("to_refund", 460_000)


# The part kept has its receipt


def test_a_gift_over_the_cap_gets_a_receipt_for_the_part_kept(dupont, lyon_contact):
    gift = give(dupont, lyon_contact, 470_000)

    assert (gift.status, gift.refund_cents) == ("to_refund", 10_000)
    assert gift.receipt.amount_cents == 460_000


def test_the_staff_form_issues_the_receipt_for_the_part_kept(
    client, admin_user, dupont, lyon_contact
):
    client.force_login(admin_user)

    staff_gift(client, lyon_contact, dupont, "4 700")

    assert Donation.objects.get().receipt.amount_cents == 460_000


def test_the_api_issues_the_receipt_for_the_part_kept(api, admin_user, dupont):
    page = DriveFactory(entity=dupont, slug="dupont")

    api_gift(api(admin_user), page, "4700.00", reference="big")

    assert Donation.objects.get().receipt.amount_cents == 460_000


def test_a_gift_refunded_in_full_gets_no_receipt(dupont, lyon_contact):
    give(dupont, lyon_contact, 460_000)

    gift = give(dupont, lyon_contact, 10_000)

    assert gift.receipt is None
    with pytest.raises(ApplicationError):
        services.receipt_issue(donation=gift)


# At the same instant, on PostgreSQL (each thread its own connection)


@pytest.mark.django_db(transaction=True)
def test_two_gifts_at_once_to_two_candidates_of_one_election_cannot_both_pass_the_cap(
    dupont, martin, lyon_contact
):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time already")
    outcomes, start = [], threading.Barrier(2)

    def one(entity):
        start.wait()
        try:
            give(entity, lyon_contact, 300_000, online=True)
            outcomes.append("taken")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=[e]) for e in (dupont, martin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "taken"]
    assert Donation.objects.get().amount_cents == 300_000
