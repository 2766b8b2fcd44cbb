"""A Zetkin list exported as CSV, its columns titled as the organizer's Zetkin shows them
(English or Swedish), lands whole: both phones, the c/o line after the street, the
country (which reads the Swedish numbers), and the gender and both IDs kept."""

import pytest

from contacts.imports import mapping
from contacts.models import Contact

pytestmark = pytest.mark.django_db

ENGLISH = (
    "ID,First Name,Last Name,Email,Phone Number,Alternate Phone Number,C/O Address,"
    "Address,Post Code,City,Country,Gender,External ID\n"
    "1207,Clara,Lindqvist,clara.lindqvist@example.se,070-123 45 67,08-712 34 56,"
    "c/o Berg,Götgatan 12,118 46,Stockholm,Sweden,f,M-0042\n"
    "1208,Johan,Ek,johan.ek@example.se,+46 73 987 65 43,,,Storgatan 3,411 38,Göteborg,"
    "Sweden,m,\n"
)
SWEDISH = (
    "ID,Förnamn,Efternamn,E-post,Telefonnummer,Alternativt telefonnummer,C/o-adress,"
    "Adress,Postnummer,Ort,Land,Kön,Externt ID\n"
    "1207,Clara,Lindqvist,clara.lindqvist@example.se,070-123 45 67,08-712 34 56,"
    "c/o Berg,Götgatan 12,118 46,Stockholm,Sweden,f,M-0042\n"
)


@pytest.mark.parametrize("export", [ENGLISH, SWEDISH], ids=["english", "swedish"])
def test_the_export_is_recognised_as_zetkin(export):
    assert mapping.detect_tool(export.splitlines()[0].split(",")) == "Zetkin"


@pytest.mark.parametrize("export", [ENGLISH, SWEDISH], ids=["english", "swedish"])
def test_every_column_lands(run_import, export):
    job = run_import(export, name="zetkin-medlemmar.csv")

    clara = Contact.objects.get(last_name="Lindqvist")
    assert clara.first_name == "Clara"
    assert list(clara.emails.values_list("address", flat=True)) == ["clara.lindqvist@example.se"]
    assert set(clara.phones.values_list("e164", flat=True)) == {"+46701234567", "+4687123456"}
    assert (clara.street, clara.postal_code, clara.commune, clara.country) == (
        "Götgatan 12, c/o Berg",
        "11846",
        "Stockholm",
        "SE",
    )
    assert clara.custom_fields == {"zetkin_id": "1207", "gender": "f", "external_id": "M-0042"}
    assert job.ignored == []


def test_the_fields_own_names_as_the_api_writes_them(run_import):
    job = run_import(
        "first_name,last_name,email,phone,alt_phone,co_address,street_address,zip_code,city,"
        "country,gender,ext_id\n"
        "Clara,Lindqvist,clara@example.se,070-123 45 67,,c/o Berg,Götgatan 12,118 46,"
        "Stockholm,SE,f,M-0042\n"
    )

    clara = Contact.objects.get()
    assert (clara.street, clara.country) == ("Götgatan 12, c/o Berg", "SE")
    assert clara.phones.get().e164 == "+46701234567"
    assert clara.custom_fields == {"gender": "f", "external_id": "M-0042"}
    assert job.ignored == []
