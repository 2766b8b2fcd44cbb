"""Double opt-in: a signature counts, and its consents are recorded, once the email link is used."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from actions.petitions.models import Signature
from contacts.models import ConsentEvent
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(db):
    cache.clear()
    return PetitionFactory(double_opt_in=True)


def test_signing_sends_a_link_and_counts_nothing_until_confirmed(
    client, petition, eager_tasks, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://terrain.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("petitions:page", args=[petition.slug]),
            {
                "first_name": "Léa",
                "last_name": "G",
                "email": "lea@example.fr",
                "postal_code": "69001",
                "consent_email": "on",
            },
        )
    assert response["Location"].endswith("?email=1")
    signature = Signature.objects.get()
    assert signature.confirmed_at is None and signature.pending_consents == ["email"]
    assert not ConsentEvent.objects.exists()
    assert client.get(reverse("petitions:count", args=[petition.slug])).json()["count"] == 0

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lea@example.fr"]
    link = re.search(r"https://terrain\.example(/p/\S+)", mail.outbox[0].body).group(1)
    client.get(link)  # opening the link (or a mail scanner doing it) confirms nothing
    assert Signature.objects.get().confirmed_at is None

    client.post(link)
    signature.refresh_from_db()
    assert signature.confirmed_at is not None
    event = ConsentEvent.objects.get()
    assert (event.channel, event.wording) == ("email", petition.consent_email)
    client.post(link)  # twice: still one consent event
    assert ConsentEvent.objects.count() == 1
    cache.clear()
    assert client.get(reverse("petitions:count", args=[petition.slug])).json()["count"] == 1


def test_a_forged_link_confirms_nothing(client, petition):
    response = client.post(reverse("petitions:confirm", args=[petition.slug, "1:forged:token"]))
    assert response.status_code == 200
    assert response.context["error"]
    assert not response.context["confirmed"]
