"""Receipts as the CNCCFP's rules want them. A candidate's financial agent keeps one campaign
account over a financing period that spans New Year: one sequence of receipts for the whole
campaign; a party numbers afresh each calendar year. The document carries the mentions of
the official receipt (Code électoral R39-1: amount, day and way of payment, the donor's
identity, declaration and tax address), the tax statement of its kind and payment, and says
that the receipt giving the tax reduction is the one the CNCCFP numbers."""

from datetime import date

import pytest
from django.urls import reverse

from actions.donations import services
from actions.donations.models import Entity
from actions.donations.receipts import OFFICIAL, TAX, TAX_CASH, receipt_lines
from contacts import services as contact_services
from contacts.models import Source
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def municipales(db):
    """Garnier's campaign for the municipal election of 15 March 2026: its financing period
    opened on 1 September 2025."""
    return EntityFactory(
        election="Municipales 2026, Lyon",
        election_kind="municipal",
        election_day=date(2026, 3, 15),
    )


@pytest.fixture
def party(db):
    return EntityFactory(name="Parti de la Terre", kind=Entity.Kind.PARTY)


def donor(i=0):
    return contact_services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name=f"Jeanne{i}",
        last_name="Martin",
        street="3 rue Terme",
        postal_code="69001",
        commune="Lyon",
    )


def by_hand(entity, contact, amount, *, on=date(2026, 2, 1), method="cheque", kind="gift"):
    return services.donation_record(
        entity=entity,
        contact=contact,
        amount_cents=services.cents(amount),
        method=method,
        kind=kind,
        received_on=on,
        natural_person=True,
        french_or_resident=True,
        online=False,
    ).donation


def text(donation) -> str:
    return "\n".join(line.text for line in receipt_lines(donation.receipt))


# Numbering


def test_a_candidates_receipts_run_in_one_sequence_across_new_year(municipales):
    december = by_hand(municipales, donor(1), "50", on=date(2025, 12, 20))
    january = by_hand(municipales, donor(2), "50", on=date(2026, 1, 10))

    assert [december.receipt.reference, january.receipt.reference] == [
        "2026-000001",
        "2026-000002",
    ]


def test_a_candidate_without_an_election_day_keeps_the_sequence_of_its_first_receipt(db):
    campaign = EntityFactory()
    december = by_hand(campaign, donor(1), "50", on=date(2025, 12, 20))
    january = by_hand(campaign, donor(2), "50", on=date(2026, 1, 10))

    assert [december.receipt.reference, january.receipt.reference] == [
        "2025-000001",
        "2025-000002",
    ]


def test_a_party_starts_a_new_sequence_each_calendar_year(party):
    december = by_hand(party, donor(1), "50", on=date(2025, 12, 20))
    january = by_hand(party, donor(2), "50", on=date(2026, 1, 10))

    assert [december.receipt.reference, january.receipt.reference] == [
        "2025-000001",
        "2026-000001",
    ]


def test_staff_recording_gifts_either_side_of_new_year_see_one_campaign_sequence(
    client_as, admin_user, municipales
):
    client = client_as(admin_user)
    for contact, day in ((donor(1), "2025-12-20"), (donor(2), "2026-01-10")):
        response = client.post(
            f"{reverse('donations:new')}?contact={contact.pk}",
            {
                "entity": municipales.pk,
                "amount": "50",
                "method": "cheque",
                "kind": "gift",
                "received_on": day,
                "natural_person": "on",
                "french_or_resident": "on",
            },
        )
        assert response.status_code == 302

    listing = client.get(reverse("donations:list")).content.decode()

    assert "2026-000001" in listing and "2026-000002" in listing
    assert "2025-000001" not in listing


# What a receipt says


def test_a_candidates_receipt_carries_the_mentions_the_cnccfps_receipt_asks_for(municipales):
    said = text(by_hand(municipales, donor(), "35", on=date(2026, 2, 1)))

    assert "Don à un candidat (code électoral, articles L52-8 et R39-1)" in said
    assert "Bénéficiaire : Garnier 2026 (Municipales 2026, Lyon), par son mandataire financier" in (
        said
    )
    assert "Donateur : Jeanne0 Martin" in said
    assert "Adresse du domicile fiscal : 3 rue Terme, 69001 Lyon" in said
    assert "de nationalité française ou résider en France" in said
    assert f"Don de 35,00{NBSP}€" in said
    assert "Date du versement : 01/02/2026" in said
    assert "Mode de règlement : chèque" in said
    assert TAX[Entity.Kind.CANDIDATE] in said


def test_a_receipt_says_the_receipt_for_the_tax_office_is_the_one_the_cnccfp_numbers(
    municipales, party
):
    candidate_said = text(by_hand(municipales, donor(1), "35"))
    party_said = text(by_hand(party, donor(2), "35"))

    assert OFFICIAL[Entity.Kind.CANDIDATE] in candidate_said
    assert "signer par le donateur" in candidate_said
    assert OFFICIAL[Entity.Kind.PARTY] in party_said
    assert "Ce document n'est pas le reçu fiscal." in party_said
    assert "N° du reçu CNCCFP" in candidate_said and "N° du reçu CNCCFP" in party_said


def test_a_party_fee_receipt_states_the_15000_euro_household_limit(party):
    said = text(by_hand(party, donor(), "120", kind="membership"))

    assert "Don ou cotisation à un parti ou groupement politique" in said
    assert "par le mandataire du parti" in said
    assert f"Cotisation de 120,00{NBSP}€" in said
    assert "15 000 € par an et par foyer fiscal" in said


def test_a_cash_gift_receipt_says_cash_gives_no_tax_reduction(municipales):
    said = text(by_hand(municipales, donor(), "100", method="cash"))

    assert TAX_CASH in said
    assert "66 %" not in said
    assert "Mode de règlement : espèces" in said


def test_a_gift_kept_in_part_has_a_receipt_for_the_part_kept_saying_what_goes_back(
    municipales,
):
    gift = by_hand(municipales, donor(), "4700")

    said = text(gift)

    assert gift.receipt.amount_cents == 460_000
    assert f"Don de 4{NNBSP}600,00{NBSP}€" in said
    assert f"Versement de 4{NNBSP}700,00{NBSP}€, dont 100,00{NBSP}€ au-delà du plafond" in said
