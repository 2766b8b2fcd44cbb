"""A Qomon contact export, written from what its help centre shows (Qomon publishes no list
of its export's columns): French labels, semicolons, dd/mm/yyyy dates, one yes/no column
per consent and per unsubscribe. Names, both phones, the address and its second line,
country, tags, creation date, consents granted and withdrawn, and the rest as custom
fields land."""

import datetime as dt

import pytest

from contacts.imports.mapping import IGNORE, detect_tool
from contacts.models import Consent, ConsentEvent, Contact

pytestmark = pytest.mark.django_db

HEADER = (
    "ID Qomon;Prénom;Nom;Nom marital;Genre;Date de naissance;Email;Téléphone mobile;"
    "Téléphone fixe;Adresse;Complément d'adresse;Code postal;Ville;Pays;Tags;"
    "Niveau de soutien;Date de création;Consentement email;Consentement mobile;"
    "Désabonné email;Désabonné SMS;Désabonné appels;Ne plus contacter\n"
)
EXPORT = (
    HEADER + "5f2a91;Aïcha;Diallo;;Femme;07/09/1978;aicha.diallo@example.fr;06 23 45 67 89;"
    "01 43 21 65 87;27 avenue Jean Jaurès;Escalier B;93200;Saint-Denis;France;"
    '"Porte-à-porte, Quartier Nord";Soutien fort;12/03/2024 18:42;Oui;Oui;Non;Non;Non;Non\n'
    + "5f2a92;Bernard;Lefort;Martin;Homme;;bernard.lefort@example.fr;07 65 43 21 09;;"
    "3 rue des Écoles;;93200;Saint-Denis;France;Quartier Nord;Indécis;05/01/2024 10:05;"
    "Non;Non;Oui;Oui;Oui;Non\n"
)
HEADERS = HEADER.strip().split(";")


def test_the_export_is_recognised_as_qomon():
    assert detect_tool(HEADERS) == "Qomon"


def test_every_column_is_mapped(run_import):
    job = run_import(EXPORT)
    assert IGNORE not in job.mapping.values()
    assert job.mapping["Téléphone fixe"] == "phone_2"
    assert job.mapping["Désabonné SMS"] == "optout_sms"


def test_names_phones_and_birth_date_land(run_import):
    run_import(EXPORT)
    aicha = Contact.objects.get(last_name="Diallo")
    assert aicha.first_name == "Aïcha"
    assert aicha.birth_date == dt.date(1978, 9, 7)
    assert aicha.emails.get().address == "aicha.diallo@example.fr"
    assert set(aicha.phones.values_list("e164", flat=True)) == {"+33623456789", "+33143216587"}


def test_the_address_with_its_second_line_lands(run_import):
    run_import(EXPORT)
    aicha = Contact.objects.get(last_name="Diallo")
    assert aicha.street == "27 avenue Jean Jaurès, Escalier B"
    assert (aicha.postal_code, aicha.commune, aicha.country) == ("93200", "Saint-Denis", "FR")


def test_tags_and_the_creation_date_land(run_import):
    run_import(EXPORT)
    aicha = Contact.objects.get(last_name="Diallo")
    assert set(aicha.tags.values_list("name", flat=True)) == {"Porte-à-porte", "Quartier Nord"}
    assert aicha.source_at == dt.datetime(2024, 3, 12, 17, 42, tzinfo=dt.UTC)  # Paris time


def test_consents_are_granted_and_unsubscribes_withdraw_them(run_import):
    run_import(EXPORT, name="qomon.csv")
    consents = set(Consent.objects.values_list("contact__first_name", "channel", "status"))
    assert consents == {
        ("Aïcha", "email", "granted"),
        ("Aïcha", "sms", "granted"),
        ("Bernard", "email", "withdrawn"),
        ("Bernard", "sms", "withdrawn"),
        ("Bernard", "phone", "withdrawn"),
    }
    event = ConsentEvent.objects.get(contact__first_name="Bernard", channel="phone")
    assert event.wording == "Fichier « qomon.csv », colonne « Désabonné appels »"


def test_the_other_columns_are_kept_as_custom_fields(run_import):
    run_import(EXPORT)
    bernard = Contact.objects.get(last_name="Lefort")
    assert bernard.custom_fields == {
        "qomon_id": "5f2a92",
        "nom_marital": "Martin",
        "gender": "Homme",
        "niveau_de_soutien": "Indécis",
    }


def test_do_not_contact_withdraws_every_channel(run_import):
    job = run_import(EXPORT.replace("Oui;Oui;Oui;Non\n", "Oui;Oui;Oui;Oui\n"), name="qomon.csv")
    withdrawn = set(
        Consent.objects.filter(contact__last_name="Lefort", status="withdrawn").values_list(
            "channel", flat=True
        )
    )
    assert withdrawn == {"email", "sms", "phone", "post"}
    post = ConsentEvent.objects.get(contact__last_name="Lefort", channel="post")
    assert post.wording == "Fichier « qomon.csv », colonne « Ne plus contacter »"
    assert job.mapping["Ne plus contacter"] == "optout_all"
