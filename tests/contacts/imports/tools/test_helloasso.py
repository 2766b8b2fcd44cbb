"""A HelloAsso membership form's export, as the association downloads it (";", French
headers, the order, the member, the payer, then the form's own questions), lands whole:
the member is the person, the payer's email is theirs too, the date of the order is when
they joined, and the form's questions land on Terrain's fields or custom fields."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from contacts.imports import mapping
from contacts.models import Contact

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")

EXPORT = (
    "Référence commande;Date de la commande;Statut de la commande;Nom adhérent;"
    "Prénom adhérent;Nom payeur;Prénom payeur;Email payeur;Raison sociale;"
    "Moyen de paiement;Tarif;Montant tarif;Code Promo;Montant code promo;Email;"
    "Date de naissance;Téléphone;Adresse;Complément d'adresse;Code postal;Ville;Pays;"
    "Quartier\n"
    "98765432;14/09/2025 18:42;Validé;Garnier;Léa;Garnier;Léa;lea.garnier@example.fr;;"
    "Carte bancaire;Adhésion solidaire;5,00;;;lea@example.org;12/03/1991;06 12 34 56 78;"
    "12 rue des Tanneurs;Bâtiment B;69001;Lyon;France;Pentes\n"
    "98765433;15/09/2025 09:05;Validé;Roux;Nina;Roux;Hugo;hugo.roux@example.fr;;"
    "Carte bancaire;Adhésion jeune;2,00;RENTREE;1,00;;18/06/2009;07 81 23 45 67;"
    "4 place Sathonay;;69001;Lyon;France;Presqu'île\n"
)
# What HelloAsso writes about the payment itself, not about the person; and the payer's
# names, another person's when someone paid for the member (the member's names win).
LEFT_OUT = {
    "Statut de la commande",
    "Moyen de paiement",
    "Code Promo",
    "Montant code promo",
    "Nom payeur",
    "Prénom payeur",
}


def test_the_export_is_recognised_as_helloasso():
    assert mapping.detect_tool(EXPORT.splitlines()[0].split(";")) == "HelloAsso"


def test_every_column_about_the_member_lands(run_import):
    # The form's own question, kept as a custom field on the mapping page
    job = run_import(EXPORT, mapping={"Quartier": "custom:quartier"})

    assert job.created_count == 2
    lea = Contact.objects.get(last_name="Garnier")
    assert (lea.first_name, lea.birth_date) == ("Léa", dt.date(1991, 3, 12))
    assert set(lea.emails.values_list("address", "is_primary")) == {
        ("lea@example.org", True),
        ("lea.garnier@example.fr", False),
    }
    assert list(lea.phones.values_list("e164", flat=True)) == ["+33612345678"]
    assert (lea.street, lea.postal_code, lea.commune, lea.country) == (
        "12 rue des Tanneurs, Bâtiment B",
        "69001",
        "Lyon",
        "FR",
    )
    assert lea.source_at == dt.datetime(2025, 9, 14, 18, 42, tzinfo=PARIS)
    assert lea.custom_fields == {
        "helloasso_commande": "98765432",
        "tarif": "Adhésion solidaire",
        "montant_tarif": "5,00",
        "quartier": "Pentes",
    }
    assert {header for header, *_rest in job.ignored} == LEFT_OUT


def test_a_child_paid_for_by_a_parent_is_the_member_with_the_parents_email(run_import):
    job = run_import(EXPORT)

    nina = Contact.objects.get(last_name="Roux")
    assert nina.first_name == "Nina"  # the member's first name, not the payer's (Hugo)
    assert list(nina.emails.values_list("address", flat=True)) == ["hugo.roux@example.fr"]
    assert nina.source_at == dt.datetime(2025, 9, 15, 9, 5, tzinfo=PARIS)
    assert (job.mapping["Prénom adhérent"], job.mapping["Prénom payeur"]) == (
        "first_name",
        "ignore",
    )
