"""A NationBuilder people export, as its export writes it (API field names, its column
order, ISO dates with an offset, true/false flags), lands whole: names, the four phone and
email columns, the primary address's three lines, tags, the signup date, opt-ins and
do-not-call, and every other column about the person as a custom field."""

import datetime as dt

import pytest

from contacts.imports.mapping import IGNORE, detect_tool, guess_mapping
from contacts.models import Consent, Contact

pytestmark = pytest.mark.django_db

HEADER = (
    "nationbuilder_id,external_id,prefix,first_name,middle_name,last_name,full_name,"
    "employer,occupation,sex,born_at,email1,email2,email_opt_in,phone_number,"
    "work_phone_number,do_not_call,mobile_number,mobile_opt_in,is_mobile_bad,"
    "support_level,note,tag_list,created_at,email,email1_is_bad,primary_country_code,"
    "primary_country,primary_state,primary_city,primary_zip,primary_address1,"
    "primary_address2,primary_address3\n"
)
EXPORT = (
    HEADER + "1042,CRM-77,Mme,Léa,Marie,Garnier,Léa Marie Garnier,Mairie de Lyon,Urbaniste,F,"
    "1985-04-12,lea.garnier@example.fr,lea@travail.example.fr,true,04 78 12 34 56,"
    "04 72 00 11 22,false,06 12 34 56 78,true,false,1,Rencontrée au marché,"
    '"adhérente, porte-à-porte 2024",2019-03-14T10:22:31+01:00,lea.garnier@example.fr,'
    "false,FR,France,Auvergne-Rhône-Alpes,Lyon,69003,12 rue Paul Bert,Bâtiment B,"
    "Appartement 24\n" + "1043,,M.,Hugo,,Roux,Hugo Roux,,,M,,hugo.roux@example.fr,,false,,,true,"
    "07 81 23 45 67,false,false,3,,sympathisant,2021-09-02T18:05:00+02:00,"
    "hugo.roux@example.fr,false,BE,Belgium,,Bruxelles,1000,Rue Haute 5,,\n"
)
HEADERS = HEADER.strip().split(",")

# Columns left out on purpose: copies of another column (full_name, the primary email
# again as "email", the country's name after its code) and NationBuilder's bounce flags.
LEFT_OUT = {"full_name", "email", "primary_country", "is_mobile_bad", "email1_is_bad"}


def test_the_export_is_recognised_as_nationbuilder():
    assert detect_tool(HEADERS) == "NationBuilder"


def test_every_column_holding_something_about_the_person_is_mapped(run_import):
    job = run_import(EXPORT, name="nationbuilder-export.csv")
    assert {h for h, target in job.mapping.items() if target == IGNORE} == LEFT_OUT
    assert job.mapping["mobile_number"] == "phone_2"
    assert job.mapping["primary_address3"] == "street_3"
    assert job.mapping["do_not_call"] == "optout_phone"


def test_names_emails_phones_and_birth_date_land(run_import):
    run_import(EXPORT)
    lea = Contact.objects.get(last_name="Garnier")
    assert lea.first_name == "Léa"
    assert lea.birth_date == dt.date(1985, 4, 12)
    assert set(lea.emails.values_list("address", flat=True)) == {
        "lea.garnier@example.fr",
        "lea@travail.example.fr",
    }
    assert set(lea.phones.values_list("e164", flat=True)) == {
        "+33478123456",  # home
        "+33472001122",  # work
        "+33612345678",  # mobile
    }


def test_the_primary_address_lands_with_its_three_lines_joined(run_import):
    run_import(EXPORT)
    lea = Contact.objects.get(last_name="Garnier")
    assert lea.street == "12 rue Paul Bert, Bâtiment B, Appartement 24"
    assert (lea.postal_code, lea.commune, lea.country) == ("69003", "Lyon", "FR")
    hugo = Contact.objects.get(last_name="Roux")
    assert (hugo.street, hugo.commune, hugo.country) == ("Rue Haute 5", "Bruxelles", "BE")


def test_a_postal_code_abroad_is_kept_as_written(run_import):
    run_import(EXPORT)
    assert Contact.objects.get(last_name="Roux").postal_code == "1000"


def test_tags_and_the_signup_date_land(run_import):
    run_import(EXPORT)
    lea = Contact.objects.get(last_name="Garnier")
    assert set(lea.tags.values_list("name", flat=True)) == {"adhérente", "porte-à-porte 2024"}
    assert lea.source_at == dt.datetime(2019, 3, 14, 9, 22, 31, tzinfo=dt.UTC)
    hugo = Contact.objects.get(last_name="Roux")
    assert list(hugo.tags.values_list("name", flat=True)) == ["sympathisant"]
    assert hugo.source_at == dt.datetime(2021, 9, 2, 16, 5, tzinfo=dt.UTC)


def test_opt_ins_grant_consent_and_do_not_call_withdraws_it(run_import):
    run_import(EXPORT, name="nationbuilder-export.csv")
    consents = set(Consent.objects.values_list("contact__first_name", "channel", "status"))
    assert consents == {
        ("Léa", "email", "granted"),
        ("Léa", "sms", "granted"),
        ("Hugo", "phone", "withdrawn"),
    }
    withdrawal = Consent.objects.get(contact__first_name="Hugo")
    assert withdrawal.wording == "Fichier « nationbuilder-export.csv », colonne « do_not_call »"


def test_the_other_columns_are_kept_as_custom_fields(run_import):
    run_import(EXPORT)
    lea = Contact.objects.get(last_name="Garnier")
    assert lea.custom_fields == {
        "nationbuilder_id": "1042",
        "external_id": "CRM-77",
        "name_prefix": "Mme",
        "middle_name": "Marie",
        "employer": "Mairie de Lyon",
        "occupation": "Urbaniste",
        "gender": "F",
        "support_level": "1",
        "notes": "Rencontrée au marché",
        "state": "Auvergne-Rhône-Alpes",
    }


def test_the_issue_example_maps_every_column():
    headers = [
        "first_name",
        "last_name",
        "email",
        "mobile_number",
        "address1",
        "city",
        "zip",
        "tag_list",
        "created_at",
    ]
    assert guess_mapping(headers) == {
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "mobile_number": "phone_2",
        "address1": "street",
        "city": "commune",
        "zip": "postal_code",
        "tag_list": "tags",
        "created_at": "source_at",
    }


def test_the_issue_example_lands_whole(run_import):
    run_import(
        "first_name,last_name,email,mobile_number,address1,city,zip,tag_list,created_at\n"
        "Nina,Petit,nina@example.fr,06 99 88 77 66,3 place Bellecour,Lyon,69002,"
        '"bénévole,tractage",2022-05-10 14:30:00\n'
    )
    nina = Contact.objects.get()
    assert nina.phones.get().e164 == "+33699887766"
    assert (nina.street, nina.postal_code, nina.commune) == ("3 place Bellecour", "69002", "Lyon")
    assert set(nina.tags.values_list("name", flat=True)) == {"bénévole", "tractage"}
    assert nina.source_at == dt.datetime(2022, 5, 10, 12, 30, tzinfo=dt.UTC)  # Paris time
