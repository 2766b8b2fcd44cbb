"""An Action Network report download, as it writes it (can2_* columns, statuses in words,
tags in one cell, UTC dates, the group's custom fields under their own names), lands whole:
names, phone, address, tags, subscription date, email and SMS statuses as consent granted
or withdrawn, and the activist's id kept."""

import datetime as dt

import pytest

from contacts.imports.mapping import IGNORE, detect_tool
from contacts.models import Consent, ConsentEvent, Contact

pytestmark = pytest.mark.django_db

HEADER = (
    "uuid,first_name,last_name,email,zip_code,can2_user_address,can2_user_city,can2_county,"
    "can2_state_abbreviated,country,can2_phone,can2_sms_status,can2_subscription_status,"
    "can2_subscription_date,can2_user_tags,Comité local\n"
)
REPORT = (
    HEADER + "a3c1e2f0-8d2b-4b5e-9f1a-0c7d6e5f4a31,Camille,Martin,camille.martin@example.fr,13001,"
    "8 rue de la République,Marseille,Bouches-du-Rhône,,FR,+33 6 11 22 33 44,subscribed,"
    'subscribed,2023-02-18 14:03:27 UTC,"Marche climat 2023, Bénévoles",Marseille centre\n'
    + "b7d9f1a2-1c3e-4f5a-8b6c-2d4e6f8a0b13,Yanis,Benali,yanis.benali@example.fr,31000,"
    "2 allée Jean Jaurès,Toulouse,Haute-Garonne,,FR,07 22 33 44 55,unsubscribed,"
    "unsubscribed,2021-11-05 08:45:10 UTC,Pétition retraites,\n"
    + "c2e4a6b8-3d5f-4a7c-9e1b-4f6a8c0e2d57,Inès,Moreau,ines.moreau@example.fr,69007,,,,"
    ",FR,,,bouncing,2020-06-30 19:12:00 UTC,,\n"
)
HEADERS = HEADER.strip().split(",")
# The group's own custom field, kept under its name as a person does on the mapping page.
MAPPING = {"Comité local": "custom:comite_local"}


def test_the_report_is_recognised_as_action_network():
    assert detect_tool(HEADERS) == "Action Network"


def test_every_column_holding_something_about_the_person_is_mapped(run_import):
    job = run_import(REPORT, mapping=MAPPING)
    assert IGNORE not in job.mapping.values()
    assert job.mapping["can2_subscription_status"] == "consent_email"
    assert job.mapping["can2_sms_status"] == "consent_sms"


def test_names_email_phone_and_address_land(run_import):
    run_import(REPORT, mapping=MAPPING)
    camille = Contact.objects.get(last_name="Martin")
    assert camille.first_name == "Camille"
    assert camille.emails.get().address == "camille.martin@example.fr"
    assert camille.phones.get().e164 == "+33611223344"
    assert camille.street == "8 rue de la République"
    assert (camille.postal_code, camille.commune, camille.country) == ("13001", "Marseille", "FR")


def test_tags_and_the_subscription_date_land(run_import):
    run_import(REPORT, mapping=MAPPING)
    camille = Contact.objects.get(last_name="Martin")
    assert set(camille.tags.values_list("name", flat=True)) == {"Marche climat 2023", "Bénévoles"}
    assert camille.source_at == dt.datetime(2023, 2, 18, 14, 3, 27, tzinfo=dt.UTC)
    ines = Contact.objects.get(last_name="Moreau")
    assert ines.source_at == dt.datetime(2020, 6, 30, 19, 12, tzinfo=dt.UTC)


def test_subscribed_grants_unsubscribed_withdraws_and_bouncing_records_nothing(run_import):
    run_import(REPORT, name="an-report.csv", mapping=MAPPING)
    consents = set(Consent.objects.values_list("contact__first_name", "channel", "status"))
    assert consents == {
        ("Camille", "email", "granted"),
        ("Camille", "sms", "granted"),
        ("Yanis", "email", "withdrawn"),
        ("Yanis", "sms", "withdrawn"),
    }
    event = ConsentEvent.objects.get(contact__first_name="Yanis", channel="email")
    assert event.wording == "Fichier « an-report.csv », colonne « can2_subscription_status »"


def test_the_activist_id_county_and_custom_fields_are_kept(run_import):
    run_import(REPORT, mapping=MAPPING)
    camille = Contact.objects.get(last_name="Martin")
    assert camille.custom_fields == {
        "action_network_id": "a3c1e2f0-8d2b-4b5e-9f1a-0c7d6e5f4a31",
        "county": "Bouches-du-Rhône",
        "comite_local": "Marseille centre",
    }
