"""What providers report comes back through their tracking webhooks, as they post it: a hard
bounce marks the address bouncing, a soft one is counted, a complaint withdraws the email
consent with an event naming the blast, a delivery is recorded; without the webhook secret
nothing is read."""

import base64
import json

import pytest

from actions.emails.models import Message
from contacts.models import Consent, ConsentEvent, ContactEmail
from contacts.services import consent_set
from tests.factories import EmailMessageFactory, person

pytestmark = pytest.mark.django_db

SECRET = "anymail-user:a-long-webhook-password"
BREVO_ID = "<202612031015.12345678@smtp-relay.mailin.fr>"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL_WEBHOOK_SECRET = SECRET
    settings.ANYMAIL = {**getattr(settings, "ANYMAIL", {}), "WEBHOOK_SECRET": SECRET}


@pytest.fixture
def sent():
    message = EmailMessageFactory(status="sent", provider_id=BREVO_ID)
    consent_set(
        contact=message.contact, channel="email", status="granted", source="manual", actor=None
    )
    return message


def post(client, provider: str, payload: dict, *, secret: str = SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(
        f"/webhooks/email/{provider}/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def brevo(event: str, message: Message, **more) -> dict:
    """A Brevo transactional webhook's body, as its documentation shows it."""
    return {
        "event": event,
        "email": message.to,
        "id": 1234,
        "date": "2026-12-03 11:15:00",
        "ts": 1796292900,
        "message-id": message.provider_id,
        "ts_event": 1796292900,
        "subject": message.blast.subject,
        "ts_epoch": 1796292900000,
        **more,
    }


def test_a_hard_bounce_marks_the_address_bouncing(client, sent):
    response = post(client, "brevo", brevo("hard_bounce", sent, reason="550 5.1.1 unknown user"))
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == Message.Status.BOUNCED
    assert "550" in sent.error
    assert ContactEmail.objects.get(address=sent.to).bounced_at is not None


def test_a_soft_bounce_is_counted_and_the_address_kept(client, sent):
    post(client, "brevo", brevo("soft_bounce", sent, reason="452 mailbox full"))
    sent.refresh_from_db()
    assert (sent.status, sent.soft_bounces) == (Message.Status.SENT, 1)
    assert ContactEmail.objects.get(address=sent.to).bounced_at is None


def test_a_complaint_withdraws_the_email_consent_naming_the_blast(client, sent):
    post(client, "brevo", brevo("spam", sent))
    sent.refresh_from_db()
    assert sent.status == Message.Status.COMPLAINED
    assert Consent.objects.get(contact=sent.contact, channel="email").status == "withdrawn"
    event = ConsentEvent.objects.get(contact=sent.contact, status="withdrawn")
    assert event.wording == "Signalé comme indésirable : l’e-mail « Samedi, on se retrouve »"


def test_a_delivery_is_recorded(client, sent):
    post(client, "brevo", brevo("delivered", sent))
    sent.refresh_from_db()
    assert sent.status == Message.Status.DELIVERED


def test_postmarks_spam_complaint_withdraws_too(client, sent):
    Message.objects.filter(pk=sent.pk).update(provider_id="883953f4-6105-42a2-a16a-77a8eac79483")
    payload = {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {},
        "ServerID": 23,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": sent.to,
        "From": "equipe@garnier2026.fr",
        "BouncedAt": "2026-12-03T11:15:00Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "Samedi, on se retrouve",
    }
    assert post(client, "postmark", payload).status_code == 200
    assert Consent.objects.get(contact=sent.contact, channel="email").status == "withdrawn"


def test_a_bounce_of_another_email_still_marks_the_address(client):
    lea = person("lea@example.fr")
    payload = {
        "event": "hard_bounce",
        "email": "lea@example.fr",
        "message-id": "<a-receipt@smtp-relay.mailin.fr>",
        "ts_epoch": 1796292900000,
    }
    post(client, "brevo", payload)
    assert lea.emails.get().bounced_at is not None


def test_without_the_secret_nothing_is_read(client, sent):
    response = post(client, "brevo", brevo("spam", sent), secret="anymail-user:wrong-password-0000")
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT
    assert Consent.objects.get(contact=sent.contact, channel="email").status == "granted"
