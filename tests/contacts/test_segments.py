"""Segments combine filters, count live, are saved and frozen, and export only what is in scope."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contacts import services
from contacts.models import ExportLog, Segment
from contacts.segments.filters import SegmentFilters
from contacts.segments.selectors import segment_contacts, segment_preview_contacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(lyon_contact, paris_contact, admin_user):
    services.contact_tag(contact=lyon_contact, actor=None, add=["militant"])
    services.contact_tag(contact=paris_contact, actor=None, add=["militant", "presse"])
    services.consent_set(
        contact=lyon_contact, channel="sms", status="granted", source="manual", actor=None
    )
    third = services.contact_create(
        actor=None,
        source="import",
        first_name="Inès",
        last_name="Roux",
        postal_code="69001",
        insee_code="69381",
    )
    return lyon_contact, paris_contact, third


def names(qs):
    return sorted(c.last_name for c in qs)


def test_filters_combine(admin_user, people):
    from contacts.models import Tag

    militant, presse = Tag.objects.get(name="militant").pk, Tag.objects.get(name="presse").pk

    def count(**filters):
        return names(segment_preview_contacts(user=admin_user, filters=SegmentFilters(**filters)))

    assert count(tags_any=[militant]) == ["Garnier", "Lefèvre"]
    assert count(tags_any=[militant], tags_none=[presse]) == ["Garnier"]
    assert count(consent={"sms": "granted"}) == ["Garnier"]
    assert count(consent={"sms": "unknown"}) == ["Lefèvre", "Roux"]
    assert count(postal_codes=["69001"], sources=["import"]) == ["Roux"]
    assert count(added_after=timezone.localdate().isoformat()) == ["Garnier", "Lefèvre", "Roux"]
    assert count(added_before="2000-01-01") == []


def test_a_segment_gives_each_user_only_their_contacts(admin_user, organizer_lyon, people):
    segment = Segment.objects.create(name="Tous", filters={})
    assert names(segment_contacts(user=admin_user, segment=segment)) == [
        "Garnier",
        "Lefèvre",
        "Roux",
    ]
    assert names(segment_contacts(user=organizer_lyon, segment=segment)) == ["Garnier", "Roux"]


def test_building_a_segment_in_the_browser_with_a_live_count(client_as, organizer_lyon, people):
    client = client_as(organizer_lyon)
    live = client.get(reverse("contacts:segment_preview_count"), {"consent_sms": "granted"})
    assert live.json() == {"count": 1}
    response = client.post(
        reverse("contacts:segment_new"), {"name": "SMS Lyon", "consent_sms": "granted"}
    )
    segment = Segment.objects.get()
    assert response["Location"] == reverse("contacts:segment_detail", args=[segment.pk])
    assert segment.filters == {"consent": {"sms": "granted"}}
    page = client.get(response["Location"])
    assert page.context["count"] == 1
    listed = client.get(reverse("contacts:list"), {"segment": segment.pk})
    assert [c.last_name for c in listed.context["page"].items] == ["Garnier"]


def test_a_frozen_list_keeps_its_contacts_when_data_changes(client_as, admin_user, people):
    lyon_contact, _paris, third = people
    segment = Segment.objects.create(name="SMS", filters={"consent": {"sms": "granted"}})
    client = client_as(admin_user)
    client.post(reverse("contacts:segment_freeze", args=[segment.pk]))
    frozen = Segment.objects.get(is_static=True)
    services.consent_set(
        contact=third, channel="sms", status="granted", source="manual", actor=None
    )
    assert names(segment_contacts(user=admin_user, segment=segment)) == ["Garnier", "Roux"]
    assert names(segment_contacts(user=admin_user, segment=frozen)) == ["Garnier"]


def test_exports_are_scoped_logged_and_safe(client_as, organizer_lyon, people):
    lyon_contact, _paris, third = people
    services.contact_update(contact=third, actor=None, first_name="=cmd|' /C calc'!A0")
    segment = Segment.objects.create(name="Tous", filters={})
    client = client_as(organizer_lyon)
    body = b"".join(
        client.get(reverse("contacts:segment_export_csv", args=[segment.pk])).streaming_content
    )
    rows = list(csv.reader(io.StringIO(body.decode().lstrip("\ufeff"))))
    assert sorted(r[2] for r in rows[1:]) == ["Garnier", "Roux"]
    assert "'=cmd|' /C calc'!A0" in [r[1] for r in rows[1:]]
    xlsx = client.get(reverse("contacts:segment_export_xlsx", args=[segment.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3
    assert list(ExportLog.objects.order_by("id").values_list("what", "row_count")) == [
        ("segment.csv", 2),
        ("segment.xlsx", 2),
    ]


# Whose a segment is (campaign.ownership): organizers use the whole campaign's segments and
# change only their own territory's; another territory's is not even said to exist.


def test_an_organizer_does_not_even_see_another_territorys_segment(
    client_as, organizer_paris, lyon_1er
):
    segment = Segment.objects.create(name="Lyon", filters={}, territory=lyon_1er)

    page = client_as(organizer_paris).get(reverse("contacts:segment_detail", args=[segment.pk]))

    assert page.status_code == 404


def test_an_organizer_cannot_change_or_delete_another_territorys_segment(
    client_as, organizer_paris, lyon_1er
):
    segment = Segment.objects.create(name="Lyon", filters={}, territory=lyon_1er)
    client = client_as(organizer_paris)

    edit = client.post(reverse("contacts:segment_edit", args=[segment.pk]), {"name": "Pris"})
    delete = client.post(reverse("contacts:segment_delete", args=[segment.pk]))

    assert (edit.status_code, delete.status_code) == (404, 404)
    segment.refresh_from_db()
    assert segment.name == "Lyon"


def test_an_organizer_uses_a_whole_campaign_segment_but_does_not_change_it(
    client_as, organizer_lyon, lyon_1er, people
):
    segment = Segment.objects.create(name="SMS", filters={"consent": {"sms": "granted"}})
    client = client_as(organizer_lyon)

    page = client.get(reverse("contacts:segment_detail", args=[segment.pk]))
    edit = client.post(reverse("contacts:segment_edit", args=[segment.pk]), {"name": "Pris"})
    delete = client.post(reverse("contacts:segment_delete", args=[segment.pk]))
    client.post(reverse("contacts:segment_freeze", args=[segment.pk]))

    assert page.status_code == 200 and page.context["count"] == 1
    assert (edit.status_code, delete.status_code) == (404, 404)
    segment.refresh_from_db()
    assert segment.name == "SMS"
    frozen = Segment.objects.get(is_static=True)
    assert frozen.territory == lyon_1er  # the frozen list is the organizer's own
    assert names(segment_contacts(user=organizer_lyon, segment=frozen)) == ["Garnier"]


def test_a_segment_an_organizer_saves_is_their_territorys(client_as, organizer_lyon, lyon_1er):
    client_as(organizer_lyon).post(reverse("contacts:segment_new"), {"name": "Mes militants"})

    assert Segment.objects.get().territory == lyon_1er


def test_an_organizer_cannot_give_a_segment_to_another_territory(
    client_as, organizer_lyon, paris_11e
):
    answer = client_as(organizer_lyon).post(
        reverse("contacts:segment_new"), {"name": "Chez Paris", "owner": paris_11e.pk}
    )

    assert answer.status_code == 200  # the form again, with its error
    assert not Segment.objects.exists()


def test_a_segment_a_blast_targets_is_kept_with_a_message_not_a_server_error(client_as, admin_user):
    from datetime import time

    from actions.sms.models import Blast

    segment = Segment.objects.create(name="Tous", filters={})
    Blast.objects.create(
        name="Rappel", segment=segment, body="Bonjour", quiet_start=time(21), quiet_end=time(9)
    )
    client = client_as(admin_user)

    answer = client.post(reverse("contacts:segment_delete", args=[segment.pk]), {"confirm": "yes"})

    assert answer.status_code == 302
    assert Segment.objects.filter(pk=segment.pk).exists()


def test_the_contact_lists_segment_menu_names_no_other_territorys_segment(
    client_as, organizer_paris, lyon_1er
):
    Segment.objects.create(name="Soutiens de Lyon", filters={}, territory=lyon_1er)

    page = client_as(organizer_paris).get(reverse("contacts:list")).content.decode()

    assert "Soutiens de Lyon" not in page
