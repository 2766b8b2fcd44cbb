"""A segment exported in Action Network's and NationBuilder's import formats: their own column
names, each value in its column, the exporter's scope, the export log; and a NationBuilder
export imported back into Terrain as it is."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contacts import services
from contacts.models import Contact, ExportLog, Segment

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")

ACTION_NETWORK_COLUMNS = [
    "email",
    "first_name",
    "last_name",
    "can2_user_address",
    "can2_user_city",
    "zip_code",
    "country",
    "can2_phone",
    "can2_user_tags",
    "can2_subscription_status",
    "can2_sms_status",
]
NATIONBUILDER_COLUMNS = [
    "external_id",
    "first_name",
    "last_name",
    "born_at",
    "email",
    "email2",
    "email_opt_in",
    "mobile_number",
    "mobile_opt_in",
    "phone_number",
    "work_phone_number",
    "do_not_call",
    "do_not_contact",
    "address1",
    "city",
    "zip",
    "country_code",
    "tag_list",
    "created_at",
]


def militante(contact: Contact, *, sms: str = "withdrawn") -> Contact:
    """Léa Garnier of Lyon 1er, with everything either tool can take: two emails, two mobiles
    and a landline, an address, tags, consents given and withdrawn, custom fields."""
    services.contact_update(
        contact=contact,
        actor=None,
        birth_date=date(1990, 4, 12),
        street="12 rue Mercière",
        custom_fields={"employeur": "SNCF", "adhesion": 2019},
        emails=[
            services.EmailInput(address="lea.garnier@example.fr", is_primary=True),
            services.EmailInput(address="lea@travail.example.fr"),
        ],
        phones=[
            services.PhoneInput(number="06 12 34 56 78", is_primary=True),
            services.PhoneInput(number="04 78 00 00 01"),
            services.PhoneInput(number="07 68 11 22 33"),
        ],
        tags=["militant", "presse"],
    )
    for channel, status in (("email", "granted"), ("sms", sms), ("phone", "withdrawn")):
        services.consent_set(
            contact=contact, channel=channel, status=status, source="manual", actor=None
        )
    Contact.objects.filter(pk=contact.pk).update(
        source_at=datetime(2025, 3, 20, 15, 26, tzinfo=PARIS)
    )
    return Contact.objects.get(pk=contact.pk)


@pytest.fixture
def everyone():
    return Segment.objects.create(name="Tous", filters={})


def export(client, segment: Segment, tool: str) -> tuple[list[str], list[dict[str, str]]]:
    response = client.get(reverse(f"contacts:segment_export_{tool}", args=[segment.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_action_network_export_names_its_columns_as_its_uploader_does(
    client_as, admin_user, lyon_contact, everyone
):
    militante(lyon_contact)

    header, _rows = export(client_as(admin_user), everyone, "action_network")

    assert header == [*ACTION_NETWORK_COLUMNS, "adhesion", "employeur"]


def test_the_nationbuilder_export_names_its_columns_as_its_importer_does(
    client_as, admin_user, lyon_contact, everyone
):
    militante(lyon_contact)

    header, _rows = export(client_as(admin_user), everyone, "nationbuilder")

    assert header == [*NATIONBUILDER_COLUMNS, "adhesion", "employeur"]


def test_each_value_lands_in_its_action_network_column(
    client_as, admin_user, lyon_contact, paris_contact, everyone
):
    militante(lyon_contact)

    _header, rows = export(client_as(admin_user), everyone, "action_network")

    assert rows == [
        {
            "email": "lea.garnier@example.fr",
            "first_name": "Léa",
            "last_name": "Garnier",
            "can2_user_address": "12 rue Mercière",
            "can2_user_city": "Lyon 1er arrondissement",
            "zip_code": "69001",
            "country": "FR",
            "can2_phone": "+33612345678",
            "can2_user_tags": "militant, presse",
            "can2_subscription_status": "subscribed",
            "can2_sms_status": "unsubscribed",
            "adhesion": "2019",
            "employeur": "SNCF",
        },
        {
            "email": "hugo.lefevre@example.fr",
            "first_name": "Hugo",
            "last_name": "Lefèvre",
            "can2_user_address": "",
            "can2_user_city": "Paris 11e arrondissement",
            "zip_code": "75011",
            "country": "FR",
            "can2_phone": "+33798765432",
            "can2_user_tags": "",
            "can2_subscription_status": "",
            "can2_sms_status": "",
            "adhesion": "",
            "employeur": "",
        },
    ]


def test_each_value_lands_in_its_nationbuilder_column(
    client_as, admin_user, lyon_contact, paris_contact, everyone
):
    lea = militante(lyon_contact)

    _header, rows = export(client_as(admin_user), everyone, "nationbuilder")

    assert rows == [
        {
            "external_id": str(lea.uuid),
            "first_name": "Léa",
            "last_name": "Garnier",
            "born_at": "1990-04-12",
            "email": "lea.garnier@example.fr",
            "email2": "lea@travail.example.fr",
            "email_opt_in": "true",
            "mobile_number": "+33612345678",
            "mobile_opt_in": "false",
            "phone_number": "+33478000001",
            "work_phone_number": "+33768112233",
            "do_not_call": "true",
            "do_not_contact": "",
            "address1": "12 rue Mercière",
            "city": "Lyon 1er arrondissement",
            "zip": "69001",
            "country_code": "FR",
            "tag_list": "militant, presse",
            "created_at": "2025-03-20T15:26:00+01:00",
            "adhesion": "2019",
            "employeur": "SNCF",
        },
        {
            "external_id": str(paris_contact.uuid),
            "first_name": "Hugo",
            "last_name": "Lefèvre",
            "born_at": "",
            "email": "hugo.lefevre@example.fr",
            "email2": "",
            "email_opt_in": "",
            "mobile_number": "+33798765432",
            "mobile_opt_in": "",
            "phone_number": "",
            "work_phone_number": "",
            "do_not_call": "",
            "do_not_contact": "",
            "address1": "",
            "city": "Paris 11e arrondissement",
            "zip": "75011",
            "country_code": "FR",
            "tag_list": "",
            "created_at": rows[1]["created_at"],  # made by the fixture, now
            "adhesion": "",
            "employeur": "",
        },
    ]


def test_a_person_who_objected_to_any_contact_is_said_unreachable_to_both_tools(
    client_as, admin_user, lyon_contact, everyone
):
    from contacts.privacy.services import contact_object

    contact_object(contact=lyon_contact, actor=admin_user)
    client = client_as(admin_user)

    _header, an = export(client, everyone, "action_network")
    _header, nb = export(client, everyone, "nationbuilder")

    assert (an[0]["can2_subscription_status"], an[0]["can2_sms_status"]) == (
        "unsubscribed",
        "unsubscribed",
    )
    assert [
        nb[0][c] for c in ("email_opt_in", "mobile_opt_in", "do_not_call", "do_not_contact")
    ] == [
        "false",
        "false",
        "true",
        "true",
    ]


def test_a_person_abroad_keeps_her_country_and_one_without_an_address_has_none(
    client_as, admin_user, everyone
):
    abroad = services.contact_create(
        actor=None, source="manual", last_name="Ivanova", commune="Moscou"
    )
    Contact.objects.filter(pk=abroad.pk).update(country="RU")
    services.contact_create(
        actor=None,
        source="manual",
        last_name="Sans-Adresse",
        emails=[services.EmailInput(address="sans@example.fr")],
    )

    _header, rows = export(client_as(admin_user), everyone, "nationbuilder")

    assert [(r["last_name"], r["country_code"]) for r in rows] == [
        ("Ivanova", "RU"),
        ("Sans-Adresse", ""),
    ]


def test_a_custom_field_named_like_a_column_gets_a_column_of_its_own(
    client_as, admin_user, lyon_contact, everyone
):
    services.contact_update(contact=lyon_contact, actor=None, custom_fields={"Email": "perso"})

    header, rows = export(client_as(admin_user), everyone, "action_network")

    assert header[-1] == "custom_Email"
    assert (rows[0]["email"], rows[0]["custom_Email"]) == ("lea.garnier@example.fr", "perso")


def test_cells_are_spreadsheet_safe_and_phone_numbers_stay_numbers(
    client_as, admin_user, lyon_contact, everyone
):
    services.contact_update(contact=lyon_contact, actor=None, first_name="=cmd|' /C calc'!A0")

    for tool in ("action_network", "nationbuilder"):
        _header, rows = export(client_as(admin_user), everyone, tool)
        phone = "can2_phone" if tool == "action_network" else "mobile_number"
        assert (rows[0]["first_name"], rows[0][phone]) == ("'=cmd|' /C calc'!A0", "+33612345678")


def test_an_organizer_exports_only_the_people_of_her_territories(
    client_as, organizer_lyon, lyon_contact, paris_contact, everyone
):
    client = client_as(organizer_lyon)

    for tool in ("action_network", "nationbuilder"):
        _header, rows = export(client, everyone, tool)
        assert [r["last_name"] for r in rows] == ["Garnier"]


def test_each_export_is_logged_with_its_format_before_it_is_sent(
    client_as, organizer_lyon, lyon_contact, paris_contact, everyone
):
    client = client_as(organizer_lyon)

    export(client, everyone, "action_network")
    export(client, everyone, "nationbuilder")

    assert list(
        ExportLog.objects.order_by("id").values_list("actor", "what", "filters", "row_count")
    ) == [
        (
            organizer_lyon.pk,
            "segment.action_network.csv",
            {"segment": everyone.pk, "name": "Tous"},
            1,
        ),
        (
            organizer_lyon.pk,
            "segment.nationbuilder.csv",
            {"segment": everyone.pk, "name": "Tous"},
            1,
        ),
    ]


def test_the_file_is_named_for_the_tool(client_as, admin_user, everyone):
    response = client_as(admin_user).get(
        reverse("contacts:segment_export_nationbuilder", args=[everyone.pk])
    )

    assert response["Content-Disposition"].endswith('-nationbuilder.csv"')


def test_another_territorys_segment_is_not_exported(
    client_as, organizer_paris, lyon_1er, lyon_contact
):
    segment = Segment.objects.create(name="Lyon", filters={}, territory=lyon_1er)

    response = client_as(organizer_paris).get(
        reverse("contacts:segment_export_action_network", args=[segment.pk])
    )

    assert response.status_code == 404
    assert not ExportLog.objects.exists()


def test_the_segment_page_offers_both_exports_in_french(client_as, admin_user, everyone):
    page = client_as(admin_user).get(reverse("contacts:segment_detail", args=[everyone.pk]))

    for tool, label in (
        ("action_network", "Exporter pour Action Network (CSV)"),
        ("nationbuilder", "Exporter pour NationBuilder (CSV)"),
    ):
        url = reverse(f"contacts:segment_export_{tool}", args=[everyone.pk])
        assert f'href="{url}">{label}</a>' in page.content.decode()


# Round trip: what Terrain gives either tool, Terrain takes back as it is. A person moving
# back re-imports the file with the automatic mapping, keeping the other columns (custom
# fields) with the import form's box.


def reimport(text: str, *, name: str, tmp_path, settings):
    from django.core.files.base import ContentFile

    from contacts.imports.run import contact_import_run
    from contacts.imports.services import contact_import_create, contact_import_start

    settings.MEDIA_ROOT = tmp_path / "media"
    job = contact_import_create(actor=None, file=ContentFile(text.encode()), original_name=name)
    contact_import_start(job=job, keep_other_columns=True, enqueue=False)
    return contact_import_run(job_id=job.pk)


def test_a_nationbuilder_export_comes_back_into_terrain_whole(
    client_as, admin_user, lyon_contact, everyone, tmp_path, settings
):
    from contacts.imports.mapping import detect_tool, guess_mapping

    lea = militante(lyon_contact, sms="granted")
    response = client_as(admin_user).get(
        reverse("contacts:segment_export_nationbuilder", args=[everyone.pk])
    )
    text = b"".join(response.streaming_content).decode()
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    Contact.objects.all().delete()

    job = reimport(text, name="nationbuilder.csv", tmp_path=tmp_path, settings=settings)

    assert detect_tool(header) == "NationBuilder"
    assert [h for h, target in guess_mapping(header).items() if target == "ignore"] == [
        "adhesion",
        "employeur",
    ]
    assert (job.created_count, job.rejected, job.warnings) == (1, [], [])
    back = Contact.objects.get()
    assert (back.first_name, back.last_name, back.birth_date) == ("Léa", "Garnier", lea.birth_date)
    assert sorted(back.emails.values_list("address", flat=True)) == [
        "lea.garnier@example.fr",
        "lea@travail.example.fr",
    ]
    assert sorted(back.phones.values_list("e164", "kind")) == [
        ("+33478000001", "landline"),
        ("+33612345678", "mobile"),
        ("+33768112233", "mobile"),
    ]
    assert (back.street, back.postal_code, back.commune, back.country) == (
        "12 rue Mercière",
        "69001",
        "Lyon 1er arrondissement",
        "FR",
    )
    assert sorted(back.tags.values_list("name", flat=True)) == ["militant", "presse"]
    assert back.source_at == lea.source_at
    assert dict(back.consents.values_list("channel", "status")) == {
        "email": "granted",
        "sms": "granted",
        "phone": "withdrawn",
    }
    assert back.custom_fields == {
        "external_id": str(lea.uuid),
        "employeur": "SNCF",
        "adhesion": "2019",
    }


def test_an_action_network_export_comes_back_into_terrain_with_what_it_holds(
    client_as, admin_user, lyon_contact, everyone, tmp_path, settings
):
    from contacts.imports.mapping import detect_tool

    militante(lyon_contact)
    response = client_as(admin_user).get(
        reverse("contacts:segment_export_action_network", args=[everyone.pk])
    )
    text = b"".join(response.streaming_content).decode()
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    Contact.objects.all().delete()

    job = reimport(text, name="action-network.csv", tmp_path=tmp_path, settings=settings)

    assert detect_tool(header) == "Action Network"
    assert (job.created_count, job.rejected, job.warnings) == (1, [], [])
    back = Contact.objects.get()
    assert (back.first_name, back.last_name) == ("Léa", "Garnier")
    # Action Network keeps one email and one phone, the mobile it texts.
    assert list(back.emails.values_list("address", flat=True)) == ["lea.garnier@example.fr"]
    assert list(back.phones.values_list("e164", flat=True)) == ["+33612345678"]
    assert (back.street, back.postal_code, back.commune, back.country) == (
        "12 rue Mercière",
        "69001",
        "Lyon 1er arrondissement",
        "FR",
    )
    assert sorted(back.tags.values_list("name", flat=True)) == ["militant", "presse"]
    assert dict(back.consents.values_list("channel", "status")) == {
        "email": "granted",
        "sms": "withdrawn",
    }
    assert back.custom_fields == {"employeur": "SNCF", "adhesion": "2019"}


def test_an_objection_exported_to_nationbuilder_comes_back_as_every_channel_withdrawn(
    client_as, admin_user, lyon_contact, everyone, tmp_path, settings
):
    from contacts.privacy.services import contact_object

    contact_object(contact=lyon_contact, actor=admin_user)
    response = client_as(admin_user).get(
        reverse("contacts:segment_export_nationbuilder", args=[everyone.pk])
    )
    text = b"".join(response.streaming_content).decode()
    Contact.objects.all().delete()

    reimport(text, name="nationbuilder.csv", tmp_path=tmp_path, settings=settings)

    assert dict(Contact.objects.get().consents.values_list("channel", "status")) == {
        "email": "withdrawn",
        "sms": "withdrawn",
        "phone": "withdrawn",
        "post": "withdrawn",
    }
