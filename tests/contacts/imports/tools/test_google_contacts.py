"""A Google Contacts export ("Google CSV"), today's format and the older one, lands
whole: three phones, two emails, the address with its extra line and PO box, the birthday,
the labels as tags (Google's own "* myContacts" and "* starred" left out), and what
Terrain has no field for kept as custom fields."""

import datetime as dt

import pytest

from contacts.imports import mapping
from contacts.models import Contact

pytestmark = pytest.mark.django_db

CURRENT = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
    "Phone 3 - Label,Phone 3 - Value,Address 1 - Label,Address 1 - Formatted,"
    "Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,"
    "Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
    "Website 1 - Label,Website 1 - Value\n"
    "Léa,Marie,Garnier,,,,,,Lélé,,Hospices civils de Lyon,Infirmière,Urgences,1991-03-12,"
    "Rencontrée au marché,https://lh3.googleusercontent.com/contacts/AKxyz,"
    "Bénévoles ::: Quartier Nord ::: * myContacts ::: * starred,"
    "* Home,lea@example.fr,Work,lea.garnier@chu.example.fr,"
    "Mobile,06 12 34 56 78,Home,04 78 12 34 56,Work,04 72 11 22 33,"
    'Home,"12 rue des Tanneurs\nBâtiment B\nBP 12\n69001 Lyon\nFrance",'
    "12 rue des Tanneurs,Lyon,BP 12,Auvergne-Rhône-Alpes,69001,France,Bâtiment B,"
    "Blog,https://lea.example.fr\n"
)
OLDER = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,"
    "Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,"
    "Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,"
    "Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,"
    "Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
    "Phone 2 - Type,Phone 2 - Value,Address 1 - Type,Address 1 - Formatted,"
    "Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,"
    "Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
    "Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,"
    "Organization 1 - Title,Organization 1 - Department,Organization 1 - Symbol,"
    "Organization 1 - Location,Organization 1 - Job Description,Website 1 - Type,"
    "Website 1 - Value\n"
    "Hugo Roux,Hugo,,Roux,,,,,,,,,,,1987-11-02,male,,,,,,,,,,,,,"
    "* myContacts ::: Militants,* Home,hugo@example.fr,Mobile,07 81 23 45 67,"
    'Home,04 78 98 76 54,Home,"4 place Sathonay\n69001 Lyon",4 place Sathonay,Lyon,,,'
    "69001,FR,,,Mairie de Lyon,,Agent d'accueil,,,,,,\n"
)
# Google's own: the photo's link, and the address block that repeats its parts.
TECHNICAL = {"Photo", "Address 1 - Formatted"}


@pytest.mark.parametrize("export", [CURRENT, OLDER], ids=["current", "older"])
def test_the_export_is_recognised_as_google_contacts(export):
    headers = export.splitlines()[0].split(",")
    assert mapping.detect_tool(headers) == "Google Contacts"


def test_every_column_of_todays_format_lands(run_import):
    job = run_import(CURRENT, name="contacts.csv")

    lea = Contact.objects.get()
    assert (lea.first_name, lea.last_name, lea.birth_date) == (
        "Léa",
        "Garnier",
        dt.date(1991, 3, 12),
    )
    assert set(lea.emails.values_list("address", flat=True)) == {
        "lea@example.fr",
        "lea.garnier@chu.example.fr",
    }
    assert set(lea.phones.values_list("e164", flat=True)) == {
        "+33612345678",
        "+33478123456",
        "+33472112233",
    }
    assert (lea.street, lea.postal_code, lea.commune, lea.country) == (
        "12 rue des Tanneurs, Bâtiment B, BP 12",
        "69001",
        "Lyon",
        "FR",
    )
    assert sorted(lea.tags.values_list("name", flat=True)) == ["Bénévoles", "Quartier Nord"]
    assert lea.custom_fields == {
        "middle_name": "Marie",
        "nickname": "Lélé",
        "organization": "Hospices civils de Lyon",
        "job_title": "Infirmière",
        "department": "Urgences",
        "notes": "Rencontrée au marché",
        "region": "Auvergne-Rhône-Alpes",
        "website": "https://lea.example.fr",
    }
    # The "- Label" columns only say which kind each email or phone is.
    labels = {header for header, *_rest in job.ignored if header.endswith(" - Label")}
    assert {header for header, *_rest in job.ignored} == TECHNICAL | labels


def test_every_column_of_the_older_format_lands(run_import):
    # The full "Name" would take the last-name field (see below): moved on the mapping page.
    job = run_import(OLDER, mapping={"Name": "ignore", "Family Name": "last_name"})

    hugo = Contact.objects.get()
    assert (hugo.first_name, hugo.last_name, hugo.birth_date) == (
        "Hugo",
        "Roux",
        dt.date(1987, 11, 2),
    )
    assert list(hugo.emails.values_list("address", flat=True)) == ["hugo@example.fr"]
    assert set(hugo.phones.values_list("e164", flat=True)) == {"+33781234567", "+33478987654"}
    assert (hugo.street, hugo.postal_code, hugo.commune, hugo.country) == (
        "4 place Sathonay",
        "69001",
        "Lyon",
        "FR",
    )
    assert list(hugo.tags.values_list("name", flat=True)) == ["Militants"]
    assert hugo.custom_fields == {
        "gender": "male",
        "organization": "Mairie de Lyon",
        "job_title": "Agent d'accueil",
    }
    types = {header for header, *_rest in job.ignored if header.endswith(" - Type")}
    assert {header for header, *_rest in job.ignored} == {"Name", "Address 1 - Formatted"} | types


def test_the_older_formats_full_name_does_not_take_the_last_name(run_import):
    job = run_import(OLDER)

    assert (job.mapping["Name"], job.mapping["Family Name"]) == ("ignore", "last_name")
