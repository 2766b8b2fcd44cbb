"""Cancelling a blast, or closing a texting campaign, cannot be undone: staff are asked first (a dialog, or a page of its
own without JavaScript); pausing, which can be undone, is not asked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.sms.models import Blast, P2PCampaign
from actions.sms.p2p import services as p2p_services
from actions.sms.services.blasts import blast_save, blast_start
from contacts.models import Segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(admin_user, people) -> Blast:
    blast = blast_save(
        actor=admin_user,
        name="Réunion",
        segment=Segment.objects.create(name="Tous"),
        body="Bonjour",
    )
    return blast_start(blast=blast, actor=admin_user, at=timezone.now() + timedelta(days=1))


def status_of(blast: Blast) -> str:
    blast.refresh_from_db()
    return blast.status


def test_the_cancel_button_asks_first_in_a_dialog(client_as, admin_user, scheduled):
    html = client_as(admin_user).get(reverse("sms:detail", args=[scheduled.pk])).content.decode()

    assert 'data-confirm="confirm-cancel"' in html
    assert '<dialog id="confirm-cancel"' in html
    assert "Annuler les SMS pas encore envoyés ?" in html


def test_cancelling_without_confirming_shows_what_it_does_and_cancels_nothing(
    client_as, admin_user, scheduled
):
    answer = client_as(admin_user).post(reverse("sms:action", args=[scheduled.pk, "cancel"]))

    assert answer.status_code == 200
    assert 'name="confirm" value="yes"' in answer.content.decode()
    assert status_of(scheduled) == Blast.Status.SCHEDULED


def test_a_confirmed_cancel_cancels(client_as, admin_user, scheduled):
    answer = client_as(admin_user).post(
        reverse("sms:action", args=[scheduled.pk, "cancel"]), {"confirm": "yes"}
    )

    assert answer.status_code == 302
    assert status_of(scheduled) == Blast.Status.CANCELLED


@pytest.fixture
def texting(admin_user, people, django_capture_on_commit_callbacks) -> P2PCampaign:
    campaign = p2p_services.p2p_campaign_save(
        actor=admin_user,
        name="Relance dimanche",
        segment=Segment.objects.create(name="Tous"),
        script="Bonjour {prenom}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        return p2p_services.p2p_campaign_start(campaign=campaign, actor=admin_user)


def test_closing_a_texting_campaign_asks_first(client_as, admin_user, texting):
    client = client_as(admin_user)
    url = reverse("sms:p2p_action", args=[texting.pk, "close"])

    page = client.get(reverse("sms:p2p_detail", args=[texting.pk])).content.decode()
    unconfirmed = client.post(url)
    texting.refresh_from_db()
    status_before = texting.status
    client.post(url, {"confirm": "yes"})
    texting.refresh_from_db()

    assert '<dialog id="confirm-close"' in page
    assert unconfirmed.status_code == 200
    assert (status_before, texting.status) == (P2PCampaign.Status.ACTIVE, P2PCampaign.Status.CLOSED)
