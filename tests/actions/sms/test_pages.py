"""Staff compose a blast in the browser, check its cost, send it and follow it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from actions.sms.models import Blast, Message

pytestmark = pytest.mark.django_db


def test_compose_check_and_send_a_blast(
    client_as, admin_user, segment, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(admin_user)
    assert "Aucun envoi" in client.get(reverse("sms:list")).content.decode()
    paris_now = datetime.now(ZoneInfo("Europe/Paris"))  # quiet hours that are not now
    response = client.post(
        reverse("sms:new"),
        {
            "name": "Réunion publique",
            "segment": segment.pk,
            "body": "Bonjour {prenom}, réunion jeudi à 19h",
            "quiet_start": (paris_now + timedelta(hours=2)).strftime("%H:00"),
            "quiet_end": (paris_now + timedelta(hours=3)).strftime("%H:00"),
        },
    )
    blast = Blast.objects.get()
    assert response["Location"] == reverse("sms:detail", args=[blast.pk])
    page = client.get(response["Location"]).content.decode()
    # The sample is the first recipient by id: Léa, added before Hugo.
    assert "Bonjour Léa, réunion jeudi à 19h" in page
    assert "Destinataires après exclusions" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sms:action", args=[blast.pk, "start"]), {"at": ""})
    blast.refresh_from_db()
    assert blast.status == "done" and Message.objects.filter(status="sent").count() == 2
    progress = client.get(reverse("sms:progress", args=[blast.pk])).json()
    assert (progress["sent"], progress["percent"]) == (2, 100)


def test_the_composer_counts_segments_and_names_the_costly_characters(client_as, admin_user):
    state = client_as(admin_user).get(reverse("sms:preview"), {"body": "Fête {prenom} !"}).json()
    assert state["preview"].startswith("Fête Léa !")
    assert (state["encoding"], state["offenders"]) == ("UCS-2", "ê")


def test_an_unknown_merge_field_is_explained(client_as, admin_user, segment):
    response = client_as(admin_user).post(
        reverse("sms:new"), {"name": "x", "segment": segment.pk, "body": "Salut {surnom}"}
    )
    assert response.status_code == 200 and "{surnom}" in response.content.decode()


def test_a_test_text_goes_to_the_senders_phone(client_as, admin_user, segment):
    client = client_as(admin_user)
    client.post(reverse("sms:new"), {"name": "x", "segment": segment.pk, "body": "Salut {prenom}"})
    blast = Blast.objects.get()
    client.post(reverse("sms:action", args=[blast.pk, "test"]), {"to": "06 11 22 33 44"})
    message = Message.objects.get(blast=None)
    assert message.to == "+33611223344" and message.body.startswith("[TEST] Salut")


def test_volunteers_cannot_see_texts(client_as, volunteer):
    assert client_as(volunteer).get(reverse("sms:list")).status_code == 403


def test_organizers_see_replies_of_their_contacts_only(client_as, organizer_lyon, lyon_contact):
    from actions.sms.models import Inbound

    Inbound.objects.create(
        sid="a", from_number="+33612345678", body="Oui", kind="reply", contact=lyon_contact
    )
    Inbound.objects.create(
        sid="b", from_number="+33700000001", body="Qui êtes-vous ?", kind="reply"
    )
    page = client_as(organizer_lyon).get(reverse("sms:inbox")).content.decode()
    assert "Oui" in page and "Qui êtes-vous" not in page
