"""A provider's export under the law: a line given by a company is refused with its number,
the provider's name is one whatever its case, and a payment's day is the campaign's (Paris)
before its year or period is judged."""

from datetime import UTC, date, datetime, timedelta, timezone
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from actions.donations import services
from actions.donations.imports import _date, provider_import
from actions.donations.models import Donation, Entity
from actions.donations.providers import provider_label
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

HEADERS = "Numéro de transaction;Date du paiement;Montant;Prénom;Nom;Email"


def export_file(tmp_path, *lines: str, headers: str = HEADERS, name: str = "export.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join([headers, *lines]) + "\n", encoding="utf-8")
    return str(path)


def import_page(client, *, entity, path: str, provider: str = "helloasso"):
    with open(path, "rb") as handle:
        return client.post(
            reverse("donations:import"),
            {"entity": entity.pk, "provider": provider, "file": handle, "declared": "on"},
        )


@pytest.fixture
def party(db):
    return EntityFactory(name="Parti de la Saône", kind=Entity.Kind.PARTY)


# A company's gift


@pytest.mark.parametrize(
    "column",
    [
        "Société",
        "Société payeur",
        "SIRET",
        "N° SIRET",
        "Raison sociale",
        "Entreprise",
        "Nom de l'entreprise",
        "Organisation",
        "Organization",
        "Company",
    ],
)
def test_a_line_naming_a_company_is_refused_with_its_number_and_the_rest_imported(
    tmp_path, entity, admin_user, column
):
    path = export_file(
        tmp_path,
        "T-1;01/06/2026;35,00;Léa;Garnier;lea@example.fr;",
        "T-2;02/06/2026;500,00;Hugo;Martin;hugo@example.fr;Martin Conseil 81234567800012",
        "T-3;03/06/2026;20,00;Nina;Roux;nina@example.fr;non",
        headers=f"{HEADERS};{column}",
    )
    report = provider_import(actor=admin_user, entity=entity, provider="helloasso", path=path)
    assert (report.created, report.to_refund) == (2, 0)
    assert report.rejected == [
        (
            3,
            f"donné par une personne morale ({column} : Martin Conseil 81234567800012) : "
            "seules les personnes physiques peuvent donner",
        )
    ]
    assert sorted(Donation.objects.values_list("provider_txn_id", flat=True)) == ["T-1", "T-3"]


def test_a_payer_kind_column_refuses_a_company_and_takes_a_person(tmp_path, entity, admin_user):
    path = export_file(
        tmp_path,
        "T-1;01/06/2026;35,00;Léa;Garnier;lea@example.fr;Particulier",
        "T-2;02/06/2026;500,00;Hugo;Martin;hugo@example.fr;Entreprise",
        headers=f"{HEADERS};Type de payeur",
    )
    report = provider_import(actor=admin_user, entity=entity, provider="helloasso", path=path)
    assert report.created == 1
    assert [line for line, _reason in report.rejected] == [3]
    assert Donation.objects.get().contact.emails.get().address == "lea@example.fr"


def test_the_import_page_says_which_line_a_company_gave(client_as, admin_user, entity, tmp_path):
    path = export_file(
        tmp_path,
        "T-1;01/06/2026;35,00;Léa;Garnier;lea@example.fr;",
        "T-2;02/06/2026;500,00;Hugo;Martin;hugo@example.fr;Martin Conseil",
        headers=f"{HEADERS};Raison sociale",
    )
    page = import_page(client_as(admin_user), entity=entity, path=path)
    text = page.content.decode()
    assert "<td>3</td><td>donné par une personne morale (Raison sociale : Martin Conseil)" in text
    assert not Donation.objects.filter(provider_txn_id="T-2").exists()


def test_a_birth_date_is_not_taken_for_the_day_of_the_payment(tmp_path, entity, admin_user):
    path = export_file(
        tmp_path,
        "12/04/1980;T-1;01/06/2026;35,00;Léa;Garnier;lea@example.fr",
        headers=f"Date de naissance;{HEADERS}",
    )
    provider_import(actor=admin_user, entity=entity, provider="helloasso", path=path)
    assert Donation.objects.get().received_on == date(2026, 6, 1)


# The provider's name


def test_the_same_file_under_the_provider_name_in_another_case_counts_once(
    tmp_path, entity, admin_user
):
    path = export_file(
        tmp_path,
        "T-1;01/06/2026;35,00;Léa;Garnier;lea@example.fr",
        "T-2;02/06/2026;50,00;Hugo;Martin;hugo@example.fr",
    )
    first = provider_import(actor=admin_user, entity=entity, provider="HelloAsso", path=path)
    again = provider_import(actor=admin_user, entity=entity, provider="helloasso", path=path)
    assert (first.created, again.created, again.already) == (2, 0, 2)
    assert set(Donation.objects.values_list("provider", flat=True)) == {"helloasso"}


def test_the_import_page_imports_a_file_once_whatever_the_case_of_the_provider(
    client_as, admin_user, entity, tmp_path
):
    path = export_file(tmp_path, "T-1;01/06/2026;35,00;Léa;Garnier;lea@example.fr")
    client = client_as(admin_user)
    import_page(client, entity=entity, path=path, provider="HelloAsso")
    import_page(client, entity=entity, path=path, provider="helloasso")
    assert Donation.objects.count() == 1
    assert provider_label(Donation.objects.get().provider) == "HelloAsso"


def test_gifts_imported_under_capitals_before_count_once_after_the_migration(
    tmp_path, entity, admin_user
):
    lower_provider_names = import_module(
        "actions.donations.migrations.0011_provider_names_lower_case"
    ).lower_provider_names
    donor = services.donor_for(
        services.DonorInput(
            first_name="Léa",
            last_name="Garnier",
            email="lea@example.fr",
            street="",
            postal_code="",
            commune="",
        )
    )

    def imported_before(provider: str, txn: str) -> Donation:
        return services.donation_record(
            entity=entity,
            contact=donor,
            amount_cents=3_500,
            method="card",
            received_on=date(2026, 6, 1),
            natural_person=True,
            french_or_resident=True,
            online=False,
            provider=provider,
            provider_txn_id=txn,
        ).donation

    renamed = imported_before("HelloAsso", "T-1")
    twin_upper, twin_lower = (
        imported_before("HelloAsso", "T-2"),
        imported_before("helloasso", "T-2"),
    )
    lower_provider_names(Donation)
    renamed.refresh_from_db()
    twin_upper.refresh_from_db()
    assert renamed.provider == "helloasso"
    assert (twin_upper.provider, twin_lower.provider) == ("HelloAsso", "helloasso")
    path = export_file(tmp_path, "T-1;01/06/2026;35,00;Léa;Garnier;lea@example.fr")
    again = provider_import(actor=admin_user, entity=entity, provider="HELLOASSO", path=path)
    assert (again.created, again.already) == (0, 1)


# A payment's day in Paris

PARIS = ZoneInfo("Europe/Paris")


@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 hypothesis's bounds are naive
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=-5, minutes=-30)), PARIS, ZoneInfo("America/New_York")]
        ),
        allow_imaginary=False,
    ),
    written=st.sampled_from(["iso", "iso with a space", "Z", "+hhmm", "minutes"]),
)
def test_any_instant_written_with_its_zone_is_the_day_it_was_in_paris(moment, written):
    text = {
        "iso": moment.isoformat(),
        "iso with a space": moment.isoformat(sep=" "),
        "Z": moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z",
        "+hhmm": moment.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "minutes": moment.isoformat(timespec="minutes"),
    }[written]
    assert _date(text) == moment.astimezone(PARIS).date()


@pytest.mark.parametrize(
    "paid_at", ["2026-12-31T23:30:00Z", "2026-12-31T23:30:00.250+00:00", "2026-12-31 18:30-05:00"]
)
def test_a_payment_at_half_past_eleven_utc_on_new_years_eve_is_judged_in_the_new_year(
    tmp_path, party, admin_user, paid_at
):
    path = export_file(
        tmp_path,
        "T-1;2026-06-01T08:00:00Z;7500,00;Léa;Garnier;lea@example.fr",
        f"T-2;{paid_at};100,00;Léa;Garnier;lea@example.fr",
    )
    report = provider_import(actor=admin_user, entity=party, provider="helloasso", path=path)
    assert (report.created, report.to_refund) == (2, 0)
    late = Donation.objects.get(provider_txn_id="T-2")
    assert (late.received_on, late.status) == (date(2027, 1, 1), Donation.Status.PAID)


def test_a_time_under_a_header_in_utc_is_converted_and_a_time_without_zone_is_paris(
    tmp_path, party, admin_user
):
    path = export_file(
        tmp_path,
        "ch_1;2026-12-31 23:30:00;100,00;lea@example.fr",
        "ch_2;2026-12-31 22:30:00;100,00;hugo@example.fr",
        headers="id;Created (UTC);Amount;Customer Email",
    )
    provider_import(actor=admin_user, entity=party, provider="stripe", path=path)
    local = export_file(
        tmp_path,
        "T-3;31/12/2026 23:30;100,00;Nina;Roux;nina@example.fr",
        name="local.csv",
    )
    provider_import(actor=admin_user, entity=party, provider="helloasso", path=local)
    days = dict(Donation.objects.values_list("provider_txn_id", "received_on"))
    assert days == {
        "ch_1": date(2027, 1, 1),  # 00:30 in Paris
        "ch_2": date(2026, 12, 31),  # 23:30 in Paris
        "T-3": date(2026, 12, 31),
    }


def test_the_import_page_judges_a_new_years_eve_payment_in_the_new_year(
    client_as, admin_user, party, tmp_path
):
    path = export_file(
        tmp_path,
        "T-1;2026-06-01T08:00:00Z;7500,00;Léa;Garnier;lea@example.fr",
        "T-2;2026-12-31T23:30:00Z;100,00;Léa;Garnier;lea@example.fr",
    )
    import_page(client_as(admin_user), entity=party, path=path)
    late = Donation.objects.get(provider_txn_id="T-2")
    assert (late.received_on, late.status, late.refund_cents) == (
        date(2027, 1, 1),
        Donation.Status.PAID,
        0,
    )
