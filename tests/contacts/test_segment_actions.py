"""Segments built from what people did: signed a petition, replied to a text."""

import pytest
from django.urls import reverse

from actions.petitions.models import Signature
from actions.sms.models import Inbound
from contacts.models import Segment
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(db):
    return PetitionFactory(slug="eau")


def test_the_builder_offers_signed_petition_and_replied_to_a_text(
    client_as, admin_user, petition, lyon_contact, paris_contact
):
    Signature.objects.create(petition=petition, contact=lyon_contact)
    Inbound.objects.create(
        sid="SM1", from_number="+33", body="Oui", kind="reply", contact=paris_contact
    )
    client = client_as(admin_user)
    page = client.get(reverse("contacts:segment_new")).content.decode()
    assert "Une eau publique" in page and "A répondu à un SMS" in page

    client.post(
        reverse("contacts:segment_new"),
        {"name": "Signataires", "action_signed_petition": str(petition.pk)},
    )
    signers = Segment.objects.get(name="Signataires")
    assert signers.filters["actions"] == {"signed_petition": {"petition": str(petition.pk)}}
    detail = client.get(reverse("contacts:segment_detail", args=[signers.pk])).content.decode()
    assert "A signé la pétition : Une eau publique" in detail

    count = client.get(
        reverse("contacts:segment_preview_count"), {"action_replied_to_text": "30"}
    ).json()["count"]
    assert count == 1
    edit = client.get(reverse("contacts:segment_edit", args=[signers.pk])).content.decode()
    assert f'<option value="{petition.pk}" selected>' in edit
