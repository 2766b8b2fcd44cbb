"""The contacts list pages without counting everything, in fixed queries; exports are safe."""

import csv
import io

import pytest
from django.urls import reverse

from contacts import services
from contacts.exports import spreadsheet_safe
from contacts.models import ExportLog

pytestmark = pytest.mark.django_db


def make_contacts(n: int, **fields):
    for i in range(n):
        services.contact_create(
            actor=None,
            source="import",
            first_name=f"Prénom{i}",
            last_name=f"Nom{i:03d}",
            postal_code="69001",
            insee_code="69381",
            emails=[services.EmailInput(address=f"p{i}@example.fr")],
            phones=[services.PhoneInput(number=f"06 00 00 {i // 100:02d} {i % 100:02d}")],
            tags=["militant"],
            **fields,
        )


def test_the_list_takes_the_same_number_of_queries_for_10_or_60_contacts(
    client_as, admin_user, django_assert_max_num_queries
):
    client = client_as(admin_user)
    make_contacts(10)
    client.get(reverse("contacts:list"))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("contacts:list"))
    make_contacts(50)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("contacts:list"))
    assert len(large) == len(small) + 1  # + the bounded count, as a second page now exists
    with django_assert_max_num_queries(12):
        client.get(reverse("contacts:list"), {"page": 2})


def test_pages_of_fifty_with_next_and_previous(client_as, admin_user):
    make_contacts(60)
    client = client_as(admin_user)
    first = client.get(reverse("contacts:list"), {"order": "name"})
    assert first.context["page"].has_next
    assert len(first.context["page"].items) == 50
    assert first.context["page"].total == 60
    second = client.get(reverse("contacts:list"), {"order": "name", "page": 2})
    assert [c.last_name for c in second.context["page"].items] == [
        f"Nom{i:03d}" for i in range(50, 60)
    ]
    assert not second.context["page"].has_next
    assert 'rel="prev"' in second.content.decode()


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client_as, admin_user):
    make_contacts(1)
    response = client_as(admin_user).get(reverse("contacts:list"), {"page": "abc"})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_export_is_logged_and_neutralizes_formulas(client_as, organizer_lyon):
    services.contact_create(
        actor=None,
        source="import",
        first_name='=HYPERLINK("http://evil")',
        last_name="@SUM(A1)",
        postal_code="69001",
        insee_code="69381",
    )
    response = client_as(organizer_lyon).get(reverse("contacts:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")))
    )
    assert rows[0][:3] == ["id", "first_name", "last_name"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == "'@SUM(A1)"
    log = ExportLog.objects.get()
    assert (log.actor, log.row_count) == (organizer_lyon, 1)


@pytest.mark.parametrize("value", ["=1+1", "+33612345678", "-2", "@cmd", "\tx"])
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value):
    assert spreadsheet_safe(value) == "'" + value


def test_ordinary_cells_are_left_alone():
    assert spreadsheet_safe("Léa Garnier") == "Léa Garnier"
    assert spreadsheet_safe(None) == ""


def test_the_detail_page_takes_the_same_number_of_queries_however_long_the_history(
    client_as, organizer_lyon, lyon_contact
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(organizer_lyon)
    url = reverse("contacts:detail", args=[lyon_contact.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for i in range(20):
        services.contact_note_add(contact=lyon_contact, actor=organizer_lyon, text=f"note {i}")
        services.consent_set(
            contact=lyon_contact, channel="sms", status="granted", source="manual", actor=None
        )
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(long) == len(short)
