"""Address books exported from Outlook (English and French installations: every column
Outlook writes, in its order, with its own defaults) and a French Excel sheet as people
keep one: the home address, the mobile, home and work phones, both emails, the birthday,
the categories or groups as tags, and the sheet's consent columns (granted and
withdrawn) all land."""

import csv
import datetime as dt
import io

import pytest

from contacts.imports import mapping
from contacts.models import Consent, Contact

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
    "Job Title", "Business Street", "Business Street 2", "Business Street 3",
    "Business City", "Business State", "Business Postal Code", "Business Country/Region",
    "Home Street", "Home Street 2", "Home Street 3", "Home City", "Home State",
    "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2",
    "Other Street 3", "Other City", "Other State", "Other Postal Code",
    "Other Country/Region", "Assistant's Phone", "Business Fax", "Business Phone",
    "Business Phone 2", "Callback", "Car Phone", "Company Main Phone", "Home Fax",
    "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax", "Other Phone",
    "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex", "Account",
    "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
    "Business Address PO Box", "Categories", "Children", "Directory Server",
    "E-mail Address", "E-mail Type", "E-mail Display Name", "E-mail 2 Address",
    "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type",
    "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby",
    "Home Address PO Box", "Initials", "Internet Free Busy", "Keywords", "Language",
    "Location", "Manager's Name", "Mileage", "Notes", "Office Location",
    "Organizational ID Number", "Other Address PO Box", "Priority", "Private", "Profession",
    "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4",
    "Web Page",
]  # fmt: skip
FRENCH = [
    "Titre", "Prénom", "Deuxième prénom", "Nom", "Suffixe", "Société", "Service",
    "Fonction", "Rue (bureau)", "Rue (bureau) 2", "Rue (bureau) 3", "Ville (bureau)",
    "Dép/Région (bureau)", "Code postal (bureau)", "Pays/Région (bureau)",
    "Rue (domicile)", "Rue (domicile) 2", "Rue (domicile) 3", "Ville (domicile)",
    "Dép/Région (domicile)", "Code postal (domicile)", "Pays/Région (domicile)",
    "Rue (autre)", "Rue (autre) 2", "Rue (autre) 3", "Ville (autre)", "Dép/Région (autre)",
    "Code postal (autre)", "Pays/Région (autre)", "Téléphone de l'assistant(e)",
    "Télécopie (bureau)", "Téléphone (bureau)", "Téléphone 2 (bureau)", "Rappel",
    "Téléphone (voiture)", "Téléphone société", "Télécopie (domicile)",
    "Téléphone (domicile)", "Téléphone 2 (domicile)", "RNIS", "Tél. mobile",
    "Télécopie (autre)", "Téléphone (autre)", "Récepteur de radiomessagerie",
    "Téléphone principal", "Radiotéléphone", "Téléphone TDD/TTY", "Télex", "Compte",
    "Anniversaire de mariage ou fête", "Nom de l'assistant(e)", "Informations facturation",
    "Anniversaire", "Boîte postale (bureau)", "Catégories", "Enfants",
    "Serveur d'annuaire", "Adresse de messagerie", "Type de messagerie",
    "Nom complet de l'adresse de messagerie", "Adresse de messagerie 2",
    "Type de messagerie 2", "Nom complet de l'adresse de messagerie 2",
    "Adresse de messagerie 3", "Type de messagerie 3",
    "Nom complet de l'adresse de messagerie 3", "Sexe",
    "Numéro d'identification du gouvernement", "Passe-temps", "Boîte postale (domicile)",
    "Initiales", "Disponibilité Internet", "Mots clés", "Langue", "Emplacement",
    "Nom du responsable", "Kilométrage", "Notes", "Bureau",
    "Numéro d'identification de l'organisation", "B.P. (autre)", "Priorité", "Privé",
    "Profession", "Recommandé par", "Critère de diffusion", "Conjoint(e)",
    "Utilisateur 1", "Utilisateur 2", "Utilisateur 3", "Utilisateur 4", "Page Web",
]  # fmt: skip
# One contact, in Outlook's English column names; the French export has the same values.
LEA = {
    "First Name": "Léa",
    "Last Name": "Garnier",
    "Company": "Hospices civils de Lyon",
    "Job Title": "Infirmière",
    "Business Street": "3 quai des Célestins",
    "Business City": "Lyon",
    "Business Postal Code": "69002",
    "Home Street": "12 rue des Tanneurs",
    "Home Street 2": "Bâtiment B",
    "Home Street 3": "3e étage",
    "Home City": "Lyon",
    "Home Postal Code": "69001",
    "Home Country/Region": "France",
    "Business Phone": "04 72 11 22 33",
    "Home Phone": "04 78 12 34 56",
    "Mobile Phone": "06 12 34 56 78",
    "Anniversary": "0/0/00",
    "Categories": "Bénévoles;Quartier Nord",
    "E-mail Address": "lea@example.fr",
    "E-mail Type": "SMTP",
    "E-mail Display Name": "Léa Garnier (lea@example.fr)",
    "E-mail 2 Address": "lea.garnier@chu.example.fr",
    "E-mail 2 Type": "SMTP",
    "E-mail 2 Display Name": "Léa Garnier (lea.garnier@chu.example.fr)",
    "Gender": "Female",
    "Initials": "L.G.",
    "Notes": "Rencontrée au marché",
    "Priority": "Normal",
    "Private": "False",
    "Sensitivity": "Normal",
}
FRENCH_VALUES = {"Gender": "Femme", "Priority": "Normale", "Private": "Faux"}
# Outlook's own: its defaults, the initials and display names it makes from the names.
TECHNICAL_ENGLISH = {
    "Anniversary", "E-mail Type", "E-mail Display Name", "E-mail 2 Type",
    "E-mail 2 Display Name", "Initials", "Priority", "Private", "Sensitivity",
}  # fmt: skip
TECHNICAL_FRENCH = {
    "Anniversaire de mariage ou fête", "Type de messagerie",
    "Nom complet de l'adresse de messagerie", "Type de messagerie 2",
    "Nom complet de l'adresse de messagerie 2", "Initiales", "Priorité", "Privé",
    "Critère de diffusion",
}  # fmt: skip


def outlook(headers: list[str], contact: dict[str, str], **values: str) -> str:
    """A CSV as Outlook writes it: every field quoted, the columns in `headers`' order."""
    by_position = dict(zip(ENGLISH, headers, strict=True))
    row = {by_position[h]: v for h, v in {**contact, **values}.items()}
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue()


def assert_lea_landed(job, *, technical: set[str]) -> None:
    lea = Contact.objects.get()
    assert (lea.first_name, lea.last_name, lea.birth_date) == (
        "Léa",
        "Garnier",
        dt.date(1991, 3, 12),
    )
    assert set(lea.phones.values_list("e164", flat=True)) == {
        "+33612345678",
        "+33478123456",
        "+33472112233",
    }
    assert set(lea.emails.values_list("address", flat=True)) == {
        "lea@example.fr",
        "lea.garnier@chu.example.fr",
    }
    assert (lea.street, lea.postal_code, lea.commune, lea.country) == (
        "12 rue des Tanneurs, Bâtiment B, 3e étage",
        "69001",
        "Lyon",
        "FR",
    )
    assert sorted(lea.tags.values_list("name", flat=True)) == ["Bénévoles", "Quartier Nord"]
    assert {k: v for k, v in lea.custom_fields.items() if k != "gender"} == {
        "employer": "Hospices civils de Lyon",
        "job_title": "Infirmière",
        "business_street": "3 quai des Célestins",
        "business_city": "Lyon",
        "business_postal_code": "69002",
        "notes": "Rencontrée au marché",
    }
    assert {header for header, *_rest in job.ignored} == technical


@pytest.mark.parametrize("headers", [ENGLISH, FRENCH], ids=["english", "french"])
def test_an_outlook_export_is_recognised(headers):
    assert mapping.detect_tool(headers) == "Excel and Outlook address books"


def test_every_column_of_a_french_outlook_export_lands(run_import):
    text = outlook(FRENCH, LEA, Birthday="12/03/1991", **FRENCH_VALUES)
    job = run_import(text, name="contacts.CSV", encoding="cp1252")

    assert_lea_landed(job, technical=TECHNICAL_FRENCH)
    assert Contact.objects.get().custom_fields["gender"] == "Femme"


def test_every_column_of_an_english_outlook_export_lands(run_import):
    # An English Outlook set to a day-first locale (United Kingdom, Ireland...)
    job = run_import(outlook(ENGLISH, LEA, Birthday="12/03/1991"), encoding="cp1252")

    assert_lea_landed(job, technical=TECHNICAL_ENGLISH)


def test_outlook_says_0_0_00_for_a_birthday_it_does_not_know(run_import):
    job = run_import(outlook(FRENCH, LEA, Birthday="0/0/00", **FRENCH_VALUES))

    assert Contact.objects.get().birth_date is None
    assert job.warnings == []


def test_an_american_outlooks_birthdays_are_read_month_first_when_the_column_shows_it(
    run_import,
):
    hugo = {"First Name": "Hugo", "Last Name": "Roux", "E-mail Address": "hugo@example.fr"}
    hugo_line = outlook(ENGLISH, hugo, Birthday="6/24/1990").split("\r\n")[1]
    run_import(outlook(ENGLISH, LEA, Birthday="3/12/1991") + hugo_line + "\r\n")

    born = dict(Contact.objects.values_list("first_name", "birth_date"))
    assert born == {"Léa": dt.date(1991, 3, 12), "Hugo": dt.date(1990, 6, 24)}


SHEET = (
    "Nom;Prénom;Portable;Fixe;Tél. pro;Email;Adresse;Complément d'adresse;CP;Ville;Pays;"
    "Date de naissance;Groupes;Accord SMS;Accord e-mail;Notes\n"
    "Garnier;Léa;06 12 34 56 78;04 78 12 34 56;04 72 11 22 33;lea@example.fr;"
    "12 rue des Tanneurs;Bâtiment B;69001;Lyon;France;12/03/1991;Bénévoles, Quartier Nord;"
    "oui;désabonnée;Rencontrée au marché\n"
    "Roux;Hugo;07 81 23 45 67;;;hugo@example.fr;4 place Sathonay;;69001;Lyon;France;;"
    "Militants;STOP;oui;\n"
)


def test_a_french_excel_sheet_is_read_by_terrains_own_headers_and_no_tool_claims_it():
    headers = SHEET.splitlines()[0].split(";")
    assert "ignore" not in set(mapping.guess_mapping(headers).values())
    assert mapping.detect_tool(headers) == ""


def test_every_column_of_a_french_excel_sheet_lands(run_import):
    job = run_import(SHEET, name="adherents.csv", encoding="cp1252")

    lea = Contact.objects.get(last_name="Garnier")
    assert (lea.first_name, lea.birth_date) == ("Léa", dt.date(1991, 3, 12))
    assert set(lea.phones.values_list("e164", flat=True)) == {
        "+33612345678",
        "+33478123456",
        "+33472112233",
    }
    assert list(lea.emails.values_list("address", flat=True)) == ["lea@example.fr"]
    assert (lea.street, lea.postal_code, lea.commune, lea.country) == (
        "12 rue des Tanneurs, Bâtiment B",
        "69001",
        "Lyon",
        "FR",
    )
    assert sorted(lea.tags.values_list("name", flat=True)) == ["Bénévoles", "Quartier Nord"]
    assert lea.custom_fields == {"notes": "Rencontrée au marché"}
    assert job.ignored == []
    consents = set(Consent.objects.values_list("contact__first_name", "channel", "status"))
    assert consents == {
        ("Léa", "sms", "granted"),
        ("Léa", "email", "withdrawn"),
        ("Hugo", "sms", "withdrawn"),
        ("Hugo", "email", "granted"),
    }
