"""A blast goes through a real SMTP server: one message per person who agreed to emails,
both parts with the merge fields filled, the unsubscribe headers, the consent checked when
each message goes, a hard bounce marking the address, a soft one tried again, one
connection for the batch, and a message a dead worker left claimed never sent twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.emails import sending, services
from actions.emails.models import Blast, Message
from contacts.models import ContactEmail
from contacts.services import consent_set
from tests.factories import EmailBlastFactory, person

pytestmark = pytest.mark.django_db


def agreeing(email: str, **fields):
    contact = person(email, **fields)
    consent_set(contact=contact, channel="email", status="granted", source="manual", actor=None)
    return contact


@pytest.fixture
def blast(admin_user, settings):
    settings.SITE_URL = "https://terrain.example.org"
    return EmailBlastFactory()


def run(blast, admin_user) -> None:
    """Start the blast as the administrator; the tasks run in-process (eager)."""
    services.blast_start(blast=blast, actor=admin_user)


def test_each_person_who_agreed_gets_one_message_with_both_parts(
    blast, admin_user, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    agreeing("lea@example.fr", first_name="Léa", commune="Lyon")
    agreeing("hugo@example.fr", first_name="Hugo")
    person("nina@example.fr", first_name="Nina")  # never agreed
    with django_capture_on_commit_callbacks(execute=True):
        run(blast, admin_user)

    received = {r.envelope_to[0]: r.message for r in smtp_server.messages}
    assert set(received) == {"lea@example.fr", "hugo@example.fr"}
    lea = received["lea@example.fr"]
    assert lea["Subject"] == "Samedi, on se retrouve"
    assert lea["From"] == "Garnier 2026 <equipe@garnier2026.fr>"
    text = lea.get_body(preferencelist=("plain",)).get_content()
    html = lea.get_body(preferencelist=("html",)).get_content()
    assert "Bonjour Léa," in text
    assert "<strong>samedi</strong>" in html
    assert "Bonjour Léa," in html
    assert lea["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://terrain.example.org/emails/unsubscribe/" in lea["List-Unsubscribe"]
    assert lea["Message-ID"].endswith("@terrain.example.org>")
    assert lea["Feedback-ID"] == f"{blast.pk}:blast:terrain"
    assert smtp_server.connections == 1
    blast.refresh_from_db()
    assert blast.status == Blast.Status.DONE
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_a_consent_withdrawn_after_the_fan_out_stops_that_message(blast, admin_user, smtp_server):
    lea = agreeing("lea@example.fr")
    agreeing("hugo@example.fr", first_name="Hugo")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)
    batches = sending.blast_fan_out(blast_id=blast.pk)
    consent_set(contact=lea, channel="email", status="withdrawn", source="manual", actor=None)
    for batch in batches:
        sending.blast_send_batch(blast_id=blast.pk, message_ids=batch)

    assert [r.envelope_to for r in smtp_server.messages] == [["hugo@example.fr"]]
    assert Message.objects.get(contact=lea).status == Message.Status.SUPPRESSED


def test_a_hard_bounce_marks_the_address_and_a_soft_one_waits_for_another_try(
    blast, admin_user, smtp_server
):
    agreeing("gone@example.fr")
    agreeing("busy@example.fr", first_name="Hugo")
    agreeing("ok@example.fr", first_name="Nina")
    smtp_server.refuse("gone@example.fr", permanent=True)
    smtp_server.refuse("busy@example.fr", permanent=False)
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)
    [batch] = sending.blast_fan_out(blast_id=blast.pk)
    result = sending.blast_send_batch(blast_id=blast.pk, message_ids=batch)

    status = dict(Message.objects.values_list("to", "status"))
    assert status == {
        "gone@example.fr": "bounced",
        "busy@example.fr": "queued",
        "ok@example.fr": "sent",
    }
    assert ContactEmail.objects.get(address="gone@example.fr").bounced_at is not None
    assert Message.objects.get(to="busy@example.fr").soft_bounces == 1
    busy = Message.objects.get(to="busy@example.fr")
    assert result.retry_later == [busy.pk]

    smtp_server.accept("busy@example.fr")
    sending.blast_send_batch(blast_id=blast.pk, message_ids=result.retry_later)
    assert Message.objects.get(to="busy@example.fr").status == "sent"
    assert sorted(r.envelope_to[0] for r in smtp_server.messages) == [
        "busy@example.fr",
        "ok@example.fr",
    ]


def test_a_message_a_dead_worker_left_claimed_is_never_sent_again(blast, admin_user, smtp_server):
    agreeing("lea@example.fr")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)
    [batch] = sending.blast_fan_out(blast_id=blast.pk)
    # A worker claimed it, then was killed: it may or may not have reached the server.
    long_ago = timezone.now() - timedelta(hours=1)
    Message.objects.filter(pk__in=batch).update(status="sending", claimed_at=long_ago)

    sending.blast_send_batch(blast_id=blast.pk, message_ids=batch)  # the task delivered again
    given_up = sending.email_recover()

    assert smtp_server.messages == []
    assert given_up == 1
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED
    assert "deux fois" in message.error  # French first: "nobody gets it twice"


def test_a_paused_blast_sends_nothing_more_until_resumed(
    blast, admin_user, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    agreeing("lea@example.fr")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)
    [batch] = sending.blast_fan_out(blast_id=blast.pk)
    services.blast_pause(blast=Blast.objects.get(pk=blast.pk), actor=admin_user)
    assert sending.blast_send_batch(blast_id=blast.pk, message_ids=batch).stopped
    assert smtp_server.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        services.blast_resume(blast=Blast.objects.get(pk=blast.pk), actor=admin_user)
    assert [r.envelope_to for r in smtp_server.messages] == [["lea@example.fr"]]


def test_a_scheduled_blast_starts_when_its_time_has_come(
    blast, admin_user, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    agreeing("lea@example.fr")
    later = timezone.now() + timedelta(hours=1)
    services.blast_start(blast=blast, actor=admin_user, at=later)
    sending.email_recover(now=timezone.now())
    assert smtp_server.messages == []

    sending.email_recover(now=later + timedelta(minutes=1))
    assert [r.envelope_to for r in smtp_server.messages] == [["lea@example.fr"]]
