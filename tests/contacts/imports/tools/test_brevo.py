"""A Brevo (Sendinblue) contact export, as it writes it (attributes in capitals, semicolons,
the mobile as SMS with its country code), from an English account (FIRSTNAME, LASTNAME) or
a French one (PRENOM, NOM, and the address attributes French accounts add): names, the
three numbers, address, added date, double opt-in as consent and the blocklist flags as
withdrawals land."""

import datetime as dt

import pytest

from contacts.imports.mapping import IGNORE, detect_tool
from contacts.models import Consent, ConsentEvent, Contact

pytestmark = pytest.mark.django_db

ENGLISH = (
    "EMAIL;FIRSTNAME;LASTNAME;SMS;LANDLINE_NUMBER;WHATSAPP;EXT_ID;DOUBLE_OPT-IN;ADDED_TIME;"
    "MODIFIED_TIME;EMAIL_BLACKLISTED;SMS_BLACKLISTED\n"
    "sarah.klein@example.fr;Sarah;Klein;33612345678;33388776655;33698765432;CRM-1201;Yes;"
    "2023-11-02 09:15:00;2024-01-10 16:40:00;No;No\n"
    "marc.dubois@example.fr;Marc;Dubois;33711223344;;;;Yes;2022-06-20 18:00:00;"
    "2024-02-01 08:00:00;Yes;Yes\n"
)
FRENCH = (
    "EMAIL;PRENOM;NOM;SMS;ADRESSE;CODE_POSTAL;VILLE;ADDED_TIME;MODIFIED_TIME;"
    "EMAIL_BLACKLISTED;SMS_BLACKLISTED\n"
    "julie.petit@example.fr;Julie;Petit;33655443322;5 place de la Comédie;34000;Montpellier;"
    "2024-03-05 10:12:41;2024-03-05 10:12:41;No;Yes\n"
)


def _headers(text):
    return text.splitlines()[0].split(";")


def test_both_account_languages_are_recognised_as_brevo():
    assert detect_tool(_headers(ENGLISH)) == "Brevo (Sendinblue)"
    assert detect_tool(_headers(FRENCH)) == "Brevo (Sendinblue)"


def test_only_the_modification_date_is_left_out(run_import):
    english = run_import(ENGLISH)
    assert [h for h, target in english.mapping.items() if target == IGNORE] == ["MODIFIED_TIME"]
    french = run_import(FRENCH)
    assert [h for h, target in french.mapping.items() if target == IGNORE] == ["MODIFIED_TIME"]
    assert (french.mapping["PRENOM"], french.mapping["NOM"]) == ("first_name", "last_name")


def test_names_email_the_three_numbers_and_added_date_land(run_import):
    run_import(ENGLISH)
    sarah = Contact.objects.get(last_name="Klein")
    assert sarah.first_name == "Sarah"
    assert sarah.emails.get().address == "sarah.klein@example.fr"
    assert set(sarah.phones.values_list("e164", flat=True)) == {
        "+33612345678",  # SMS
        "+33388776655",  # landline
        "+33698765432",  # WhatsApp
    }
    assert sarah.source_at == dt.datetime(2023, 11, 2, 8, 15, tzinfo=dt.UTC)  # Paris time
    assert sarah.custom_fields == {"external_id": "CRM-1201"}


def test_a_french_account_lands_with_its_address(run_import):
    run_import(FRENCH)
    julie = Contact.objects.get(last_name="Petit")
    assert julie.first_name == "Julie"
    assert julie.phones.get().e164 == "+33655443322"
    assert julie.street == "5 place de la Comédie"
    assert (julie.postal_code, julie.commune) == ("34000", "Montpellier")
    assert julie.source_at == dt.datetime(2024, 3, 5, 9, 12, 41, tzinfo=dt.UTC)


def test_double_opt_in_grants_and_blocklists_withdraw(run_import):
    run_import(ENGLISH, name="brevo-contacts.csv")
    run_import(FRENCH, name="brevo-contacts-fr.csv")
    consents = set(Consent.objects.values_list("contact__first_name", "channel", "status"))
    assert consents == {
        ("Sarah", "email", "granted"),
        ("Marc", "email", "withdrawn"),  # the blocklist wins over the opt-in
        ("Marc", "sms", "withdrawn"),
        ("Julie", "sms", "withdrawn"),
    }
    event = ConsentEvent.objects.get(contact__first_name="Julie")
    assert event.wording == "Fichier « brevo-contacts-fr.csv », colonne « SMS_BLACKLISTED »"
