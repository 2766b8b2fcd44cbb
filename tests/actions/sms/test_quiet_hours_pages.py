"""Staff are told when texts wait for quiet hours: before sending (the review page), and while a
blast waits (its page and the progress it polls), or waits for its scheduled time."""

from datetime import datetime, timedelta
from datetime import time as clock

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from actions.sms.models import Blast, Message
from actions.sms.services.blasts import blast_save
from actions.sms.services.quiet_hours import PARIS

pytestmark = pytest.mark.django_db

# Quiet hours from midnight to 23:59 hold now (but in the day's last minute), ending today.
ALL_DAY = {"quiet_start": clock(0, 0), "quiet_end": clock(23, 59)}


def paris_now() -> datetime:
    return timezone.localtime(timezone.now(), PARIS)


def in_french(day) -> str:
    with translation.override("fr"):
        return date_format(day, "DATE_FORMAT")


@pytest.fixture
def draft(admin_user, segment):
    def make(**quiet) -> Blast:
        return blast_save(
            actor=admin_user, name="Réunion", segment=segment, body="Bonjour {prenom}", **quiet
        )

    return make


def test_the_review_page_warns_that_texts_sent_now_will_wait_for_the_end_of_quiet_hours(
    client_as, admin_user, draft
):
    blast = draft(**ALL_DAY)
    page = client_as(admin_user).get(reverse("sms:detail", args=[blast.pk])).content.decode()
    assert (
        "C’est l’heure de silence de cet envoi : lancés maintenant, les SMS attendront et "
        "partiront à 23:59 (heure de Paris)." in page
    )


def test_the_review_page_gives_the_date_when_quiet_hours_end_tomorrow(client_as, admin_user, draft):
    now = paris_now()
    blast = draft(quiet_start=clock(now.hour, now.minute), quiet_end=clock(0, 0))
    page = client_as(admin_user).get(reverse("sms:detail", args=[blast.pk])).content.decode()
    tomorrow = in_french(now.date() + timedelta(days=1))
    assert f"les SMS attendront et partiront le {tomorrow} à 00:00 (heure de Paris)." in page


def test_outside_quiet_hours_the_review_page_only_says_where_a_scheduled_time_would_start(
    client_as, admin_user, draft
):
    now = paris_now()
    later = {  # two hours from now to three: not now
        "quiet_start": clock((now.hour + 2) % 24, 0),
        "quiet_end": clock((now.hour + 3) % 24, 0),
    }
    blast = draft(**later)
    page = client_as(admin_user).get(reverse("sms:detail", args=[blast.pk])).content.decode()
    assert "attendront" not in page
    start, end = later["quiet_start"], later["quiet_end"]
    assert (
        f"Une heure choisie pendant les heures de silence ({start:%H:%M}–{end:%H:%M}, heure "
        f"de Paris) : l’envoi partira plutôt à {end:%H:%M}." in page
    )


def test_a_blast_started_inside_quiet_hours_says_it_waits_for_their_end(
    client_as, admin_user, draft, eager_tasks, django_capture_on_commit_callbacks
):
    blast = draft(**ALL_DAY)
    client = client_as(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sms:action", args=[blast.pk, "start"]), {"at": ""})
    blast.refresh_from_db()
    assert blast.status == "sending"
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}
    waiting = "En attente de la fin des heures de silence, à 23:59."
    assert waiting in client.get(reverse("sms:detail", args=[blast.pk])).content.decode()
    assert client.get(reverse("sms:progress", args=[blast.pk])).json()["waiting"] == waiting


def test_a_sending_blast_says_nothing_of_waiting_once_quiet_hours_are_over(
    client_as, admin_user, draft, eager_tasks, django_capture_on_commit_callbacks
):
    blast = draft(**ALL_DAY)
    client = client_as(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sms:action", args=[blast.pk, "start"]), {"at": ""})
    Blast.objects.filter(pk=blast.pk).update(quiet_start=clock(0), quiet_end=clock(0))
    assert client.get(reverse("sms:progress", args=[blast.pk])).json()["waiting"] == ""
    page = client.get(reverse("sms:detail", args=[blast.pk])).content.decode()
    assert "En attente de la fin" not in page


def test_a_blast_scheduled_inside_quiet_hours_says_it_will_start_when_they_end(
    client_as, admin_user, draft
):
    blast = draft(quiet_start=clock(21), quiet_end=clock(9))
    day = paris_now().date() + timedelta(days=2)
    client = client_as(admin_user)
    client.post(reverse("sms:action", args=[blast.pk, "start"]), {"at": f"{day}T22:30"})
    page = client.get(reverse("sms:detail", args=[blast.pk])).content.decode()
    next_day = in_french(day + timedelta(days=1))
    assert (
        f"Programmé pour le {in_french(day)} 22:30. C’est pendant ses heures de silence : les "
        f"SMS partiront plutôt le {next_day} à 09:00." in page
    )


def test_a_blast_scheduled_outside_quiet_hours_says_when(client_as, admin_user, draft):
    blast = draft(quiet_start=clock(21), quiet_end=clock(9))
    day = paris_now().date() + timedelta(days=2)
    client = client_as(admin_user)
    client.post(reverse("sms:action", args=[blast.pk, "start"]), {"at": f"{day}T14:00"})
    page = client.get(reverse("sms:detail", args=[blast.pk])).content.decode()
    assert f"Programmé pour le {in_french(day)} 14:00." in page
    assert "partiront plutôt" not in page
    progress = client.get(reverse("sms:progress", args=[blast.pk])).json()
    assert progress["waiting"] == f"Programmé pour le {in_french(day)} 14:00."
