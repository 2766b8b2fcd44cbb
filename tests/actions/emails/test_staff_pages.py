"""Staff compose an email blast, check it as a recipient will get it (computer and phone),
send themselves a test, send it and follow its progress; an organizer works only on her
territory's blasts."""

import pytest
from django.core import mail
from django.urls import reverse

from actions.emails.models import Blast, Message
from contacts.models import Segment
from contacts.services import consent_set
from tests.factories import EmailBlastFactory, SenderFactory, person

pytestmark = pytest.mark.django_db


def agreeing(email: str, **fields):
    contact = person(email, **fields)
    consent_set(contact=contact, channel="email", status="granted", source="manual", actor=None)
    return contact


def test_composing_saves_a_draft_and_shows_it_as_a_recipient_gets_it(client_as, admin_user):
    agreeing("lea@example.fr", first_name="Léa")
    segment = Segment.objects.create(name="Tout le monde")
    sender = SenderFactory()
    client = client_as(admin_user)
    response = client.post(
        reverse("emails:new"),
        {
            "name": "Lettre",
            "territory": "",
            "segment": segment.pk,
            "sender": sender.pk,
            "subject": "Bonjour {prenom}",
            "preheader": "Samedi au marché",
            "body": "On compte sur **vous**, {prenom}.",
        },
    )
    blast = Blast.objects.get()
    assert response["Location"] == reverse("emails:detail", args=[blast.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Bonjour Léa" in page
    assert 'sandbox=""' in page
    assert 'srcdoc="&lt;!doctype html&gt;' in page  # the whole email inside the attribute
    assert 'class="email-preview phone"' in page
    assert "<strong>vous</strong>" in page.replace("&lt;", "<").replace("&gt;", ">")


def test_an_unknown_merge_field_is_said_when_composing(client_as, admin_user):
    segment = Segment.objects.create(name="Tout le monde")
    response = client_as(admin_user).post(
        reverse("emails:new"),
        {
            "name": "Lettre",
            "segment": segment.pk,
            "sender": SenderFactory().pk,
            "subject": "Salut",
            "body": "Bonjour {surnom}",
        },
    )
    assert response.status_code == 200
    assert "{surnom}" in response.content.decode()
    assert not Blast.objects.exists()


def test_a_test_goes_to_the_senders_own_address(client_as, admin_user):
    admin_user.email = "alice@example.org"
    admin_user.save()
    agreeing("lea@example.fr", first_name="Léa")
    blast = EmailBlastFactory()
    client_as(admin_user).post(reverse("emails:action", args=[blast.pk, "test"]))
    [sent] = mail.outbox
    assert sent.to == ["alice@example.org"]
    assert sent.subject == "[TEST] Samedi, on se retrouve"
    assert "Bonjour Léa" in sent.body
    assert not Message.objects.exists()


def test_sending_fills_the_progress(
    client_as, admin_user, eager_tasks, django_capture_on_commit_callbacks
):
    agreeing("lea@example.fr")
    blast = EmailBlastFactory()
    client = client_as(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("emails:action", args=[blast.pk, "start"]))
    progress = client.get(reverse("emails:progress", args=[blast.pk])).json()
    assert (progress["total"], progress["sent"], progress["status"]) == (1, 1, "done")
    assert len(mail.outbox) == 1


def test_an_organizer_sees_and_changes_only_her_territorys_blasts(
    client_as, organizer_lyon, lyon_1er, paris_11e
):
    mine = EmailBlastFactory(territory=lyon_1er, name="Lettre Lyon")
    theirs = EmailBlastFactory(territory=paris_11e, name="Lettre Paris")
    client = client_as(organizer_lyon)
    listing = client.get(reverse("emails:list")).content.decode()
    assert "Lettre Lyon" in listing
    assert "Lettre Paris" not in listing
    assert client.get(reverse("emails:detail", args=[theirs.pk])).status_code == 404
    client.post(reverse("emails:action", args=[theirs.pk, "start"]))
    theirs.refresh_from_db()
    assert theirs.status == Blast.Status.DRAFT
    assert client.get(reverse("emails:detail", args=[mine.pk])).status_code == 200
