"""A provider's export imported twice counts once; bad lines say why; the CNCCFP list."""

import pytest
from django.urls import reverse

from actions.donations.imports import provider_import
from actions.donations.models import Donation
from contacts.models import ExportLog

pytestmark = pytest.mark.django_db

EXPORT = (
    "Numéro de transaction;Date du paiement;Montant;Prénom;Nom;Email;Adresse;Code postal;Ville\n"
    "T-001;01/06/2026 10:12;35,00 €;Léa;Garnier;lea@example.fr;3 rue Terme;69001;Lyon\n"
    "T-002;02/06/2026;4700,00;Hugo;Martin;hugo@example.fr;1 quai Rambaud;69002;Lyon\n"
    "T-003;pas une date;20,00;Nina;Roux;nina@example.fr;;;\n"
    "T-004;03/06/2026;20,00;Zoé;Petit;;;;\n"
)


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "helloasso.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return str(path)


def test_an_export_imported_twice_counts_each_gift_once(entity, export, admin_user):
    first = provider_import(actor=admin_user, entity=entity, provider="helloasso", path=export)
    assert (first.created, first.to_refund, first.already) == (2, 1, 0)
    assert [line for line, _reason in first.rejected] == [4, 5]
    again = provider_import(actor=admin_user, entity=entity, provider="helloasso", path=export)
    assert (again.created, again.already) == (0, 2)
    assert Donation.objects.count() == 2
    over = Donation.objects.get(provider_txn_id="T-002")
    assert (over.status, over.refund_cents) == ("to_refund", 10_000)  # 4,700 − 4,600


def test_the_import_page_reports_what_it_did(client_as, admin_user, entity, export):
    with open(export, "rb") as handle:
        page = client_as(admin_user).post(
            reverse("donations:import"),
            {"entity": entity.pk, "provider": "helloasso", "file": handle, "declared": "on"},
        )
    text = page.content.decode()
    assert "Lignes rejetées" in text and "date illisible" in text


def test_the_cnccfp_donor_list_adds_up_each_donor_and_is_logged(
    client_as, admin_user, organizer_lyon, entity, export
):
    provider_import(actor=admin_user, entity=entity, provider="helloasso", path=export)
    response = client_as(admin_user).get(reverse("donations:donor_list"), {"entity": entity.pk})
    text = b"".join(response.streaming_content).decode()
    assert "Garnier,Léa" in text
    assert "4600.00" in text and "35.00" in text  # kept after the refund
    assert ExportLog.objects.get(what="donors.csv").row_count == 2
    organizer = client_as(organizer_lyon).get(reverse("donations:donor_list"))
    assert organizer.status_code == 403
