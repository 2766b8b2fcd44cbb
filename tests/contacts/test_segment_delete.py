"""Deleting a segment cannot be undone: staff are asked first (a dialog, or a page of its
own without JavaScript)."""

import pytest
from django.urls import reverse

from contacts.models import Segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def segment(lyon_1er) -> Segment:
    return Segment.objects.create(name="Militants", filters={}, territory=lyon_1er)


def test_the_delete_button_asks_first_in_a_dialog(client_as, organizer_lyon, segment):
    page = client_as(organizer_lyon).get(reverse("contacts:segment_detail", args=[segment.pk]))

    html = page.content.decode()
    assert 'data-confirm="confirm-delete"' in html
    assert "Supprimer ce segment ?" in html


def test_deleting_without_confirming_deletes_nothing(client_as, organizer_lyon, segment):
    answer = client_as(organizer_lyon).post(reverse("contacts:segment_delete", args=[segment.pk]))

    assert answer.status_code == 200
    assert 'name="confirm" value="yes"' in answer.content.decode()
    assert Segment.objects.filter(pk=segment.pk).exists()


def test_a_confirmed_delete_deletes(client_as, organizer_lyon, segment):
    answer = client_as(organizer_lyon).post(
        reverse("contacts:segment_delete", args=[segment.pk]), {"confirm": "yes"}
    )

    assert answer.status_code == 302
    assert not Segment.objects.filter(pk=segment.pk).exists()
