"""Staff writes on donations reach only what the actor may: a provider's export, whose donors
are matched by email across the whole campaign, is an administrator's import."""

import pytest
from django.urls import reverse

from actions.donations.models import Donation

pytestmark = pytest.mark.django_db

EXPORT = (
    "Numéro de transaction;Date du paiement;Montant;Prénom;Nom;Email;Adresse;Code postal;Ville\n"
    "T-001;01/06/2026;35,00;Hugo;Lefèvre;hugo.lefevre@example.fr;1 rue X;75011;Paris\n"
)


def test_an_organizer_cannot_import_gifts_onto_anyones_email(
    client_as, organizer_lyon, paris_contact, tmp_path, entity
):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    with open(path, "rb") as handle:
        response = client_as(organizer_lyon).post(
            reverse("donations:import"),
            {"entity": entity.pk, "provider": "helloasso", "file": handle, "declared": "on"},
        )
    assert response.status_code == 403
    assert not Donation.objects.exists()
    paris_contact.refresh_from_db()
    assert paris_contact.street == ""
