"""A Mailchimp audience export, as it writes it: a zip of subscribed, unsubscribed and
cleaned files whose status is the file itself, the audience fields by label, Mailchimp's
own columns in capitals, tags as "a","b", the address in one cell (parts two spaces apart).
Names, email, phone, tags, the opt-in date and the consent proof land; the unsubscribe date
is kept but withdraws nothing by itself (no column says so)."""

import datetime as dt

import pytest

from contacts.imports.mapping import IGNORE, detect_tool
from contacts.models import Consent, Contact

pytestmark = pytest.mark.django_db

COLUMNS = (
    '"Email Address","First Name","Last Name",Address,"Phone Number",Birthday,MEMBER_RATING,'
    "OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,"
    "CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS"
)
SUBSCRIBED = (
    COLUMNS + "\n" + "chloe.bernard@example.fr,Chloé,Bernard,"
    '"14 rue Crébillon  Appartement 3  Nantes  Loire-Atlantique  44000  FR",'
    '+33 6 45 67 89 01,,4,"2022-01-15 09:30:12",203.0.113.7,"2022-01-15 09:31:40",'
    '203.0.113.7,47.2184000,-1.5536000,1,2,Europe/Paris,FR,"Pays de la Loire",'
    '"2023-03-02 11:00:00",118406222,a1b2c3d4e5,"Vue au meeting de Nantes",'
    '"""Adhérents"",""Newsletter"""\n'
    + "theo.lambert@example.fr,Théo,Lambert,,06 98 76 54 32,,2,,,"
    '"2020-10-03 17:45:00",198.51.100.4,,,,,,,,"2020-10-03 17:45:00",118406223,'
    'f6e5d4c3b2,,"""Newsletter"""\n'
)
UNSUBSCRIBED = (
    COLUMNS
    + ",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER\n"
    + 'manon.roche@example.fr,Manon,Roche,,,,1,"2019-05-20 12:00:00",,'
    '"2019-05-20 12:02:00",,,,,,,,,"2023-09-12 08:15:00",118406224,0a9b8c7d6e,,,'
    '"2023-09-12 08:15:00","Lettre de septembre",7d3e1f2a9b,"I no longer want to receive '
    'these emails",\n'
)

# Where the person's IP address was located, Mailchimp's rating and ids of its own.
TECHNICAL = {
    "MEMBER_RATING",
    "OPTIN_IP",
    "CONFIRM_IP",
    "LATITUDE",
    "LONGITUDE",
    "GMTOFF",
    "DSTOFF",
    "TIMEZONE",
    "CC",
    "REGION",
    "LAST_CHANGED",
    "LEID",
    "UNSUB_CAMPAIGN_ID",
}


def _headers(text):
    return [h.strip('"') for h in text.splitlines()[0].split(",")]


def test_each_file_of_the_export_is_recognised_as_mailchimp():
    assert detect_tool(_headers(SUBSCRIBED)) == "Mailchimp"
    assert detect_tool(_headers(UNSUBSCRIBED)) == "Mailchimp"


def test_only_technical_columns_are_left_out(run_import):
    job = run_import(UNSUBSCRIBED, name="unsubscribed_members_export.csv")
    assert {h for h, target in job.mapping.items() if target == IGNORE} == TECHNICAL
    assert job.mapping["Email Address"] == "email"
    assert job.mapping["OPTIN_TIME"] == "source_at"


def test_names_email_phone_tags_and_opt_in_date_land(run_import):
    run_import(SUBSCRIBED, name="subscribed_members_export.csv")
    chloe = Contact.objects.get(last_name="Bernard")
    assert chloe.first_name == "Chloé"
    assert chloe.emails.get().address == "chloe.bernard@example.fr"
    assert chloe.phones.get().e164 == "+33645678901"
    assert set(chloe.tags.values_list("name", flat=True)) == {"Adhérents", "Newsletter"}
    assert chloe.source_at == dt.datetime(2022, 1, 15, 8, 30, 12, tzinfo=dt.UTC)  # Paris
    theo = Contact.objects.get(last_name="Lambert")
    assert list(theo.tags.values_list("name", flat=True)) == ["Newsletter"]


def test_the_double_opt_in_proof_notes_and_id_are_kept(run_import):
    run_import(SUBSCRIBED)
    chloe = Contact.objects.get(last_name="Bernard")
    assert chloe.custom_fields == {
        "confirm_time": "2022-01-15 09:31:40",
        "mailchimp_id": "a1b2c3d4e5",
        "notes": "Vue au meeting de Nantes",
    }


def test_the_unsubscribed_file_keeps_when_and_why_but_withdraws_nothing_by_itself(run_import):
    run_import(UNSUBSCRIBED, name="unsubscribed_members_export.csv")
    manon = Contact.objects.get(last_name="Roche")
    assert manon.custom_fields == {
        "confirm_time": "2019-05-20 12:02:00",
        "mailchimp_id": "0a9b8c7d6e",
        "unsub_time": "2023-09-12 08:15:00",
        "unsub_campaign": "Lettre de septembre",
        "unsub_reason": "I no longer want to receive these emails",
    }
    assert not Consent.objects.exists()


def test_the_address_cell_is_split_into_street_postal_code_commune_and_country(run_import):
    run_import(SUBSCRIBED)
    chloe = Contact.objects.get(last_name="Bernard")
    assert chloe.street == "14 rue Crébillon, Appartement 3"
    assert (chloe.postal_code, chloe.commune, chloe.country) == ("44000", "Nantes", "FR")
