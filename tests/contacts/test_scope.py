"""Territory scope: an organizer sees only their territories, everywhere contacts show."""

import re

import pytest
from django.urls import reverse

from campaign.models import Territory
from contacts.scope import contacts_visible_to

pytestmark = pytest.mark.django_db


def test_organizer_of_lyon_lists_lyon_contacts_but_not_paris_ones(
    client_as, organizer_lyon, lyon_contact, paris_contact
):
    page = client_as(organizer_lyon).get(reverse("contacts:list"))
    assert page.status_code == 200
    assert reverse("contacts:detail", args=[lyon_contact.pk]) in page.content.decode()
    assert reverse("contacts:detail", args=[paris_contact.pk]) not in page.content.decode()


def test_organizer_of_lyon_cannot_find_a_paris_contact_by_search(
    client_as, organizer_lyon, paris_contact
):
    client = client_as(organizer_lyon)
    paris_url = reverse("contacts:detail", args=[paris_contact.pk])
    for query in ["Lefèvre", "hugo.lefevre@example.fr", "07 98 76 54 32", "75011"]:
        page = client.get(reverse("contacts:list"), {"q": query})
        assert paris_url not in page.content.decode(), query
        assert '<div class="empty">' in page.content.decode(), query


def test_organizer_of_lyon_gets_404_on_a_paris_contact_url(
    client_as, organizer_lyon, paris_contact
):
    client = client_as(organizer_lyon)
    for name in ["contacts:detail", "contacts:edit"]:
        assert client.get(reverse(name, args=[paris_contact.pk])).status_code == 404
    post = client.post(
        reverse("contacts:consent", args=[paris_contact.pk]),
        {"channel": "sms", "status": "granted"},
    )
    assert post.status_code == 404
    assert not paris_contact.consent_events.exists()


def test_a_missing_contact_and_a_forbidden_one_look_the_same(
    client_as, organizer_lyon, paris_contact
):
    client = client_as(organizer_lyon)
    forbidden = client.get(reverse("contacts:detail", args=[paris_contact.pk]))
    missing = client.get(reverse("contacts:detail", args=[paris_contact.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404

    def main(response) -> str:
        return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)

    assert main(forbidden) == main(missing)


def test_organizer_of_lyon_exports_only_lyon_contacts(
    client_as, organizer_lyon, lyon_contact, paris_contact
):
    response = client_as(organizer_lyon).get(reverse("contacts:export"))
    body = b"".join(response.streaming_content).decode()
    assert "Garnier" in body
    assert "Lefèvre" not in body


def test_admin_sees_every_contact(client_as, admin_user, lyon_contact, paris_contact):
    page = client_as(admin_user).get(reverse("contacts:list")).content.decode()
    assert "Garnier" in page and "Lefèvre" in page


def test_volunteer_cannot_open_the_staff_contact_pages(client_as, volunteer, lyon_contact):
    client = client_as(volunteer)
    assert client.get(reverse("contacts:list")).status_code == 403
    assert client.get(reverse("contacts:detail", args=[lyon_contact.pk])).status_code == 403
    assert client.get(reverse("contacts:export")).status_code == 403
    assert contacts_visible_to(volunteer).count() == 0


def test_anonymous_visitor_is_sent_to_login(client, lyon_contact):
    response = client.get(reverse("contacts:detail", args=[lyon_contact.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_organizer_scoped_by_postal_code_or_polling_station(
    organizer_lyon, lyon_contact, paris_contact
):
    organizer_lyon.territories.set(
        [Territory.objects.create(kind=Territory.Kind.POSTAL_CODE, code="75011", name="75011")]
    )
    assert list(contacts_visible_to(organizer_lyon)) == [paris_contact]
    organizer_lyon.territories.set(
        [Territory.objects.create(kind=Territory.Kind.BUREAU, code="69381-0101", name="Bureau 101")]
    )
    assert list(contacts_visible_to(organizer_lyon)) == [lyon_contact]


def test_organizer_without_territory_sees_nobody(organizer_lyon, lyon_contact):
    organizer_lyon.territories.clear()
    assert contacts_visible_to(organizer_lyon).count() == 0


def test_territory_filter_offers_only_the_organizers_own_territories(
    client_as, organizer_lyon, paris_11e, paris_contact
):
    page = client_as(organizer_lyon).get(reverse("contacts:list"), {"territory": paris_11e.pk})
    # A territory that is not theirs is not a valid choice: the filter is refused, scope stays.
    assert reverse("contacts:detail", args=[paris_contact.pk]) not in page.content.decode()
