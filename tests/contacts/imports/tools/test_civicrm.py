"""A CiviCRM contact export ("Export PRIMARY fields": every header CiviCRM writes, quoted,
privacy flags as 1 / 0) lands whole: the supplemental address lines after the street,
the privacy flags as withdrawals of each channel, tags, the creation date, and what
Terrain has no field for kept as custom fields."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from contacts.imports import mapping
from contacts.models import Consent, ConsentEvent, Contact

pytestmark = pytest.mark.django_db

HEADERS = [
    "Contact ID", "Contact Type", "Contact Subtype", "Do Not Email", "Do Not Phone",
    "Do Not Mail", "Do Not Sms", "Do Not Trade", "No Bulk Emails (User Opt Out)",
    "Legal Identifier", "External Identifier", "Sort Name", "Display Name", "Nickname",
    "Legal Name", "Image Url", "Preferred Communication Method", "Preferred Language",
    "Preferred Mail Format", "Contact Hash", "Contact Source", "First Name", "Middle Name",
    "Last Name", "Individual Prefix", "Individual Suffix", "Formal Title",
    "Communication Style", "Email Greeting ID", "Postal Greeting ID", "Addressee ID",
    "Job Title", "Gender", "Birth Date", "Deceased", "Deceased Date", "Household Name",
    "Organization Name", "Sic Code", "Unique ID (OpenID)", "Current Employer ID",
    "Contact is in Trash", "Created Date", "Modified Date", "Addressee", "Email Greeting",
    "Postal Greeting", "Current Employer", "Location Type", "Street Address",
    "Street Number", "Street Number Suffix", "Street Name", "Street Unit",
    "Supplemental Address 1", "Supplemental Address 2", "Supplemental Address 3", "City",
    "Postal Code Suffix", "Postal Code", "Latitude", "Longitude", "Address Name",
    "Master Address Belongs To", "County", "State", "Country", "Phone", "Phone Extension",
    "Phone Type", "Email", "On Hold", "Use for Bulk Mail", "Signature Text",
    "Signature Html", "IM Provider", "IM Screen Name", "OpenID", "World Region", "Website",
    "Group(s)", "Tag(s)", "Note(s)",
]  # fmt: skip
# CiviCRM's own defaults and bookkeeping, and what repeats the names.
TECHNICAL = {
    "Contact Type", "Sort Name", "Display Name", "Preferred Mail Format", "Contact Hash",
    "Communication Style", "Email Greeting ID", "Postal Greeting ID", "Addressee ID",
    "Contact is in Trash", "Modified Date", "Addressee", "Email Greeting", "Postal Greeting",
    "Location Type", "Latitude", "Longitude", "Phone Type", "On Hold", "World Region",
}  # fmt: skip
NO = {h: "0" for h in HEADERS if h.startswith("Do Not") or h.startswith("No Bulk")}
DEFAULTS = {
    **NO,
    "Contact Type": "Individual",
    "Preferred Mail Format": "Both",
    "Communication Style": "Formal",
    "Email Greeting ID": "1",
    "Postal Greeting ID": "1",
    "Addressee ID": "1",
    "Deceased": "0",
    "Contact is in Trash": "0",
    "Location Type": "Home",
    "On Hold": "0",
    "World Region": "Europe and Central Asia",
}
LEA = {
    **DEFAULTS,
    "Contact ID": "204",
    "Do Not Phone": "1",
    "Do Not Sms": "1",
    "External Identifier": "ADH-0042",
    "Sort Name": "Garnier, Léa",
    "Display Name": "Léa Garnier",
    "Nickname": "Lélé",
    "Preferred Language": "fr_FR",
    "Contact Hash": "5a1b9c2d3e4f",
    "Contact Source": "Fête de quartier 2019",
    "First Name": "Léa",
    "Middle Name": "Marie",
    "Last Name": "Garnier",
    "Individual Prefix": "Mme",
    "Job Title": "Infirmière",
    "Gender": "Female",
    "Birth Date": "1991-03-12",
    "Created Date": "2019-06-18 14:12:09",
    "Modified Date": "2024-02-01 09:00:00",
    "Addressee": "Mme Léa Garnier",
    "Email Greeting": "Chère Léa",
    "Postal Greeting": "Chère Léa",
    "Current Employer": "Hospices civils de Lyon",
    "Street Address": "12 rue des Tanneurs",
    "Supplemental Address 1": "Bâtiment B",
    "Supplemental Address 2": "3e étage",
    "City": "Lyon",
    "Postal Code": "69001",
    "Latitude": "45.7676",
    "Longitude": "4.8344",
    "Country": "France",
    "Phone": "06 12 34 56 78",
    "Phone Type": "Mobile",
    "Email": "lea@example.fr",
    "Website": "https://lea.example.fr",
    "Group(s)": "Newsletter, Bénévoles",
    "Tag(s)": "Porte-à-porte, Quartier Nord",
    "Note(s)": "Disponible le samedi",
}
HUGO = {
    **DEFAULTS,
    "Contact ID": "205",
    "Do Not Email": "1",
    "Do Not Mail": "1",
    "Sort Name": "Roux, Hugo",
    "Display Name": "Hugo Roux",
    "First Name": "Hugo",
    "Last Name": "Roux",
    "Created Date": "2021-11-03 08:30:00",
    "Addressee": "M. Hugo Roux",
    "Street Address": "4 place Sathonay",
    "City": "Lyon",
    "Postal Code": "69001",
    "Country": "France",
    "Phone": "04 78 12 34 56",
    "Phone Type": "Phone",
    "Email": "hugo@example.fr",
}


def export(*people: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows([person.get(h, "") for h in HEADERS] for person in people)
    return out.getvalue()


def test_the_export_is_recognised_as_civicrm():
    assert mapping.detect_tool(HEADERS) == "CiviCRM"


def test_every_column_about_the_person_lands(run_import):
    job = run_import(export(LEA, HUGO), name="CiviCRM_Contact_Search.csv")

    lea = Contact.objects.get(last_name="Garnier")
    assert (lea.first_name, lea.birth_date) == ("Léa", dt.date(1991, 3, 12))
    assert list(lea.emails.values_list("address", flat=True)) == ["lea@example.fr"]
    assert list(lea.phones.values_list("e164", flat=True)) == ["+33612345678"]
    assert (lea.street, lea.postal_code, lea.commune, lea.country) == (
        "12 rue des Tanneurs, Bâtiment B, 3e étage",
        "69001",
        "Lyon",
        "FR",
    )
    assert sorted(lea.tags.values_list("name", flat=True)) == ["Porte-à-porte", "Quartier Nord"]
    assert lea.source_at == dt.datetime(2019, 6, 18, 14, 12, 9, tzinfo=ZoneInfo("Europe/Paris"))
    assert lea.custom_fields == {
        "civicrm_id": "204",
        "do_not_trade": "0",
        "external_id": "ADH-0042",
        "nickname": "Lélé",
        "preferred_language": "fr_FR",
        "contact_source": "Fête de quartier 2019",
        "middle_name": "Marie",
        "name_prefix": "Mme",
        "job_title": "Infirmière",
        "gender": "Female",
        "deceased": "0",
        "employer": "Hospices civils de Lyon",
        "website": "https://lea.example.fr",
        "groups": "Newsletter, Bénévoles",
        "notes": "Disponible le samedi",
    }
    assert {header for header, *_rest in job.ignored} == TECHNICAL


def test_the_do_not_flags_are_withdrawals_named_after_the_file(run_import):
    job = run_import(export(LEA, HUGO), name="CiviCRM_Contact_Search.csv")

    withdrawn = set(
        Consent.objects.filter(status="withdrawn").values_list("contact__first_name", "channel")
    )
    assert withdrawn == {("Léa", "phone"), ("Léa", "sms"), ("Hugo", "email"), ("Hugo", "post")}
    assert not Consent.objects.filter(status="granted").exists()  # a 0 says nothing
    event = ConsentEvent.objects.get(contact__first_name="Hugo", channel="email")
    assert event.wording == "Fichier « CiviCRM_Contact_Search.csv », colonne « Do Not Email »"
    assert job.mapping["Do Not Sms"] == "optout_sms"


def test_an_unsubscribe_from_civimail_withdraws_the_email_consent(run_import):
    # CiviMail's unsubscribe link sets "No Bulk Emails (User Opt Out)", not "Do Not Email".
    run_import(export({**HUGO, "Do Not Email": "0", "No Bulk Emails (User Opt Out)": "1"}))

    assert Consent.objects.get(contact__first_name="Hugo", channel="email").status == "withdrawn"
