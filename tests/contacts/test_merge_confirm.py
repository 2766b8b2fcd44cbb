"""A merge removes one of two records for good: staff are asked first (a dialog, or a page
of its own without JavaScript that keeps which side they chose)."""

import pytest
from django.urls import reverse

from contacts.dedupe.services import duplicates_refresh
from contacts.models import Contact, DuplicateCandidate
from contacts.services import EmailInput
from tests.contacts.test_duplicates import lyon

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(db):
    """Two records of Léa Garnier in Lyon with the same email."""
    return [lyon("Léa", "Garnier", emails=[EmailInput(address="lea@example.fr")]) for _ in "ab"]


def test_each_merge_button_asks_first_in_its_own_dialog(client_as, organizer_lyon, twins):
    duplicates_refresh()
    pair = DuplicateCandidate.objects.get()

    html = client_as(organizer_lyon).get(reverse("contacts:duplicates")).content.decode()

    assert f'<dialog id="confirm-merge-{pair.pk}-a"' in html
    assert f'<dialog id="confirm-merge-{pair.pk}-b"' in html


def test_an_unconfirmed_merge_asks_on_a_page_that_keeps_the_side_chosen(
    client_as, organizer_lyon, twins
):
    a, b = twins
    duplicates_refresh()
    client = client_as(organizer_lyon)
    url = reverse("contacts:duplicate_merge", args=[DuplicateCandidate.objects.get().pk])

    page = client.post(url, {"keep": "b"})

    assert page.status_code == 200
    assert 'name="keep" value="b"' in page.content.decode()
    assert Contact.objects.filter(pk__in=[a.pk, b.pk]).count() == 2

    client.post(url, {"keep": "b", "confirm": "yes"})

    assert list(Contact.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", flat=True)) == [b.pk]
