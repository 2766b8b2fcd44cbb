"""A sign-up sheet's "Accord SMS" column: yes records the consent with the file and column
as its wording, no records nothing, and a file never overrides a STOP."""

import pytest

from contacts import services
from contacts.funnel.models import FunnelEntry
from contacts.models import Consent, ConsentEvent, Contact

pytestmark = pytest.mark.django_db

SHEET = "Prénom;Nom;Portable;Email;Accord SMS;Accord e-mail\n"


def test_a_yes_records_the_consent_with_the_file_and_column_as_wording(run_import):
    job = run_import(
        SHEET
        + "Léa;Garnier;06 12 34 56 78;lea@example.fr;oui;non\n"
        + "Hugo;Roux;07 81 23 45 67;hugo@example.fr;Non;OUI\n"
        + "Nina;Petit;06 99 88 77 66;;;\n",
        name="marche.csv",
    )
    assert job.consents_count == 2
    assert job.mapping["Accord SMS"] == "consent_sms"
    assert job.mapping["Accord e-mail"] == "consent_email"
    granted = set(Consent.objects.values_list("contact__first_name", "channel", "status"))
    assert granted == {("Léa", "sms", "granted"), ("Hugo", "email", "granted")}
    event = ConsentEvent.objects.get(contact__first_name="Léa")
    assert (event.channel, event.status, event.source) == ("sms", "granted", "import")
    assert event.wording == "Fichier « marche.csv », colonne « Accord SMS »"
    lea = Contact.objects.get(first_name="Léa")
    assert FunnelEntry.objects.get(contact=lea).reachable_at is not None


def test_an_answer_that_is_neither_yes_nor_no_is_reported_and_records_nothing(run_import):
    job = run_import(SHEET + "Léa;Garnier;06 12 34 56 78;;peut-être;\n")
    assert not Consent.objects.exists()
    assert [line for line, _why in job.warnings] == [2]
    assert "oui ou non" in job.warnings[0][1]


def test_a_file_never_overrides_a_stop_and_counts_once(run_import):
    lea = services.contact_create(
        actor=None,
        source="manual",
        first_name="Léa",
        phones=[services.PhoneInput(number="06 12 34 56 78")],
    )
    services.consent_set(contact=lea, channel="sms", status="withdrawn", source="sms", actor=None)
    sheet = SHEET + "Léa;Garnier;06 12 34 56 78;;oui;\nHugo;Roux;07 81 23 45 67;;oui;\n"
    run_import(sheet)
    run_import(sheet)  # the same file again

    assert Consent.objects.get(contact=lea).status == "withdrawn"
    assert ConsentEvent.objects.filter(contact=lea).count() == 1  # the STOP alone
    assert ConsentEvent.objects.filter(contact__first_name="Hugo").count() == 1
