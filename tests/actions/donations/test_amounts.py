"""Amounts are read the same on every door (the staff form, the public page, a provider's
export, the API): French and English ways of writing money, spaces that spreadsheets put
between thousands, a sign before or after; zero, negatives, NaN and infinities are refused
with a message, and an import goes on past the line that holds one."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from actions.donations import services
from actions.donations.imports import provider_import
from actions.donations.models import Donation
from campaign.exceptions import ApplicationError
from campaign.money import money_parse
from tests.actions.donations.doors import staff_gift
from tests.factories import DriveFactory

pytestmark = pytest.mark.django_db

NBSP, NNBSP = "\u00a0", "\u202f"  # what French spreadsheets and Terrain's pages write
ZERO = "Le montant doit être supérieur à zéro."
UNREADABLE = "Ce montant est illisible."


# The reader


@pytest.mark.parametrize(
    ("written", "cents"),
    [
        (f"4{NNBSP}600,00{NBSP}€", 460_000),
        ("4 600,00 €", 460_000),
        (f"4{NBSP}600,00", 460_000),
        ("4600", 460_000),
        ("4600.50", 460_050),
        ("€4,600.00", 460_000),
        ("1.000,50", 100_050),
        ("1 000 000", 100_000_000),
        ("35 EUR", 3_500),
        ("EUR 35,5", 3_550),
        ("35 euros", 3_500),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_money_is_read_as_france_and_england_write_it(written, cents, language):
    assert money_parse(written, language=language) == cents


def test_a_comma_before_three_digits_groups_thousands_on_the_english_page_only():
    assert money_parse("1,000", language="en") == 100_000
    assert money_parse("12,345,678", language="fr") == 1_234_567_800  # twice: it groups
    with translation.override("fr"), pytest.raises(ValueError, match="deux façons"):
        money_parse("1,000", language="fr")  # a thousand, or one euro? Asked, not guessed
    with translation.override("en"), pytest.raises(ValueError, match="two ways"):
        money_parse("1.000", language="en")


@pytest.mark.parametrize(
    "written",
    ["1 2", "35,", "1e3", "4,60,00", "1 000.000,00", "--5", "-" + " " * 5_000 + "1 x", "1" * 50],
)
def test_what_is_not_money_is_not_read(written):
    with pytest.raises(ValueError):
        money_parse(written, language="fr")


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ("0", ZERO),
        ("0,00 €", ZERO),
        ("-5,00", ZERO),
        ("−5,00", ZERO),  # the typographer's minus sign
        ("(35,00)", ZERO),  # an accountant's negative
        ("NaN", UNREADABLE),
        ("Infinity", UNREADABLE),
        ("-inf", UNREADABLE),
        (Decimal("NaN"), UNREADABLE),
        (Decimal("Infinity"), UNREADABLE),
        ("12,3456", "Les montants sont en euros et centimes."),
        ("99999999999999999999", "Ce montant est trop grand."),
    ],
)
def test_a_gift_of_no_money_is_refused_with_why(amount, why):
    with pytest.raises(ApplicationError) as refused:
        services.cents(amount)
    assert (refused.value.message, refused.value.field) == (why, "amount")


@pytest.mark.parametrize("cents", [0, -500])
def test_the_service_records_no_gift_of_nothing_or_less(entity, lyon_contact, cents):
    with pytest.raises(ApplicationError, match=ZERO):
        services.donation_record(
            entity=entity,
            contact=lyon_contact,
            amount_cents=cents,
            method="cheque",
            received_on=timezone.localdate(),
            natural_person=True,
            french_or_resident=True,
            online=False,
        )
    assert not Donation.objects.exists()


# The staff form


@pytest.mark.parametrize("amount", [f"4{NBSP}600,00{NBSP}€", "4 600,00 €", "€4,600.00"])
def test_staff_record_an_amount_as_a_spreadsheet_wrote_it(
    client_as, admin_user, lyon_contact, entity, amount
):
    response = staff_gift(client_as(admin_user), lyon_contact, entity, amount)
    assert response.status_code == 302
    assert Donation.objects.get().amount_cents == 460_000


def test_staff_on_the_english_page_record_a_thousand_written_1_000(
    client_as, admin_user, lyon_contact, entity
):
    client = client_as(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert staff_gift(client, lyon_contact, entity, "1,000").status_code == 302
    assert Donation.objects.get().amount_cents == 100_000


@pytest.mark.parametrize(
    ("amount", "why"),
    [("0", ZERO), ("-5,00", ZERO), ("Infinity", UNREADABLE), ("NaN", UNREADABLE)],
)
def test_staff_are_told_why_an_amount_is_no_gift_and_nothing_is_recorded(
    client_as, admin_user, lyon_contact, entity, amount, why
):
    client = client_as(admin_user)
    staff_gift(client, lyon_contact, entity, "35", follow=True)  # an earlier gift by hand
    response = staff_gift(client, lyon_contact, entity, amount)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [why]
    assert "Don enregistré" not in response.content.decode()
    assert list(Donation.objects.values_list("amount_cents", flat=True)) == [3_500]


def test_a_page_goal_written_1_000_is_asked_again_not_taken_for_one_euro(
    client_as, admin_user, entity
):
    response = client_as(admin_user).post(
        reverse("donations:drive_new"),
        {
            "title": "Financez la campagne",
            "entity": entity.pk,
            "story": "…",
            "goal": "10,000",
            "status": "published",
        },
    )
    assert response.context["form"].errors["goal"] == [
        "« 10,000 » peut se lire de deux façons : écrivez les euros sans séparateur de "
        "milliers, par exemple 1000 ou 1000,50."
    ]


# The public page


@pytest.fixture
def drive(db):
    cache.clear()  # the per-address limit starts at zero
    return DriveFactory()


def give(client, other):
    return client.post(
        reverse("donations:page", args=["municipales"]),
        {
            "other": other,
            "first_name": "Nina",
            "last_name": "Roux",
            "email": "nina.roux@example.fr",
            "street": "3 rue Terme",
            "postal_code": "69001",
            "commune": "Lyon",
            "method": "cheque",
            "natural_person": "on",
            "french_or_resident": "on",
        },
    )


@pytest.mark.parametrize("other", [f"4{NBSP}600,00{NBSP}€", f"4{NNBSP}600", "4600.00"])
def test_a_donor_gives_an_amount_as_they_write_it(client, drive, other):
    assert give(client, other).status_code == 302
    assert Donation.objects.get().amount_cents == 460_000


@pytest.mark.parametrize(
    ("other", "why"), [("0", ZERO), ("-5", ZERO), ("Infinity", UNREADABLE), ("NaN", UNREADABLE)]
)
def test_a_donor_is_told_why_an_amount_is_no_gift(client, drive, other, why):
    response = give(client, other)
    assert response.status_code == 200
    assert response.context["form"].errors["other"] == [why]
    assert why in response.content.decode()
    assert not Donation.objects.exists()


# A provider's export

EXPORT = (
    "Numéro de transaction;Date du paiement;Montant;Prénom;Nom;Email\n"
    f"T-1;02/06/2026;4{NBSP}600,00{NBSP}€;Léa;Garnier;lea@example.fr\n"
    "T-2;02/06/2026;-35,00;Hugo;Martin;hugo@example.fr\n"
    "T-3;02/06/2026;1.000,50;Nina;Roux;nina@example.fr\n"
    "T-4;02/06/2026;0,00;Zoé;Petit;zoe@example.fr\n"
    "T-5;02/06/2026;€35.00;Inès;Almeida;ines@example.fr\n"
    "T-6;02/06/2026;Infinity;Jean;Ndiaye;jean@example.fr\n"
)


def test_an_import_refuses_a_line_of_no_money_by_its_number_and_goes_on(
    entity, admin_user, tmp_path
):
    export = tmp_path / "helloasso.csv"
    export.write_text(EXPORT, encoding="utf-8")
    report = provider_import(actor=admin_user, entity=entity, provider="helloasso", path=export)
    assert report.created == 3
    assert dict(Donation.objects.values_list("provider_txn_id", "amount_cents")) == {
        "T-1": 460_000,
        "T-3": 100_050,
        "T-5": 3_500,
    }
    assert report.rejected == [
        (3, f"montant « -35,00 » : {ZERO}"),
        (5, f"montant « 0,00 » : {ZERO}"),
        (7, f"montant « Infinity » : {UNREADABLE}"),
    ]


def test_the_import_page_lists_a_negative_line_and_imports_the_rest(
    client_as, admin_user, entity, tmp_path
):
    export = tmp_path / "helloasso.csv"
    export.write_text(EXPORT, encoding="utf-8")
    with export.open("rb") as handle:
        page = client_as(admin_user).post(
            reverse("donations:import"),
            {"entity": entity.pk, "provider": "helloasso", "file": handle, "declared": "on"},
        )
    assert page.status_code == 200
    assert f"montant « -35,00 » : {ZERO}" in page.content.decode()
    assert Donation.objects.count() == 3


# The API


@pytest.fixture
def staff(api, admin_user):
    return api(admin_user, name="HelloAsso")


def sent(client, page, amount, reference="txn-1"):
    return client.post(
        f"/api/v1/fundraising_pages/{page.pk}/donations",
        {
            "person": {
                "given_name": "Nina",
                "family_name": "Roux",
                "email_addresses": [{"address": "nina@example.fr"}],
            },
            "recipients": [{"amount": amount}],
            "payment": {"method": "Check", "reference_number": reference},
            "action_date": "2026-11-02",
            "declarations": {"natural_person": True, "french_or_resident": True},
        },
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("amount", "cents"), [(f"4{NBSP}600,00{NBSP}€", 460_000), ("4600.50", 460_050), (35.5, 3_550)]
)
def test_the_api_reads_an_amount_as_a_string_or_a_number(staff, fundraising_page, amount, cents):
    response = sent(staff, fundraising_page, amount)
    assert response.status_code == 201
    assert Donation.objects.get().amount_cents == cents


@pytest.mark.parametrize(
    ("amount", "why"),
    [("0", ZERO), (0, ZERO), ("-5,00", ZERO), (-5, ZERO), ("Infinity", UNREADABLE)],
)
def test_the_api_answers_400_saying_why_an_amount_is_no_gift(staff, fundraising_page, amount, why):
    response = sent(staff, fundraising_page, amount)
    assert response.status_code == 400
    assert response.json()["recipients"]["0"]["amount"] == [why]
    assert not Donation.objects.exists()


BODY = (
    '{"person": {"given_name": "Nina", "family_name": "Roux", "email_addresses": '
    '[{"address": "nina@example.fr"}]}, "recipients": [{"amount": %s}], '
    '"payment": {"method": "Check", "reference_number": "t"}, '
    '"declarations": {"natural_person": true, "french_or_resident": true}}'
)


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_the_api_refuses_a_json_number_too_large_to_be_finite(staff, fundraising_page, number):
    response = staff.post(
        f"/api/v1/fundraising_pages/{fundraising_page.pk}/donations",
        BODY % number,  # written by hand: Python's JSON writes no infinity
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["recipients"]["0"]["amount"] == [UNREADABLE]
    assert not Donation.objects.exists()
