"""Twilio's calls: signed or refused, replayed or out of order without harm; STOP obeyed."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from actions.sms.models import Inbound, Message, PendingReport
from contacts.models import Consent, ConsentEvent

pytestmark = pytest.mark.django_db
TOKEN = "test-auth-token"


@pytest.fixture(autouse=True)
def _twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


def post(client, name, params, *, token=TOKEN):
    path = reverse(f"sms:{name}")
    signature = RequestValidator(token).compute_signature("https://terrain.example" + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def message(people):
    return Message.objects.create(
        contact=people["lea"], to="+33612345678", body="Bonjour", status="sent", sid="SM1"
    )


def report(client, status, *, sid="SM1", **extra):
    return post(client, "status_callback", {"MessageSid": sid, "MessageStatus": status, **extra})


def test_a_signed_delivery_report_moves_the_message_forward(client, message):
    response = report(client, "delivered")
    assert (response.status_code, response.content) == (200, b"")
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_forged_or_unsigned_report_is_refused(client, message):
    forged = post(
        client, "status_callback", {"MessageSid": "SM1", "MessageStatus": "failed"}, token="guess"
    )
    unsigned = client.post(
        reverse("sms:status_callback"), {"MessageSid": "SM1", "MessageStatus": "failed"}
    )
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    message.refresh_from_db()
    assert message.status == "sent"


def test_reports_out_of_order_or_replayed_never_move_backwards(client, message):
    report(client, "delivered")
    report(client, "sent")  # late
    report(client, "delivered")  # again
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_report_for_a_sid_not_stored_yet_is_answered_and_kept(client):
    response = report(client, "delivered", sid="SMunknown")
    assert (response.status_code, response.content) == (200, b"")
    assert list(PendingReport.objects.values_list("sid", "status")) == [("SMunknown", "delivered")]


def test_an_undelivered_unknown_number_is_flagged_and_never_targeted_again(client, message, people):
    report(client, "undelivered", ErrorCode="30005")
    phone = people["lea"].phones.get()
    assert phone.sms_blocked.startswith("30005")


def inbound(client, body, *, sid="SMin1", sender="+33612345678"):
    return post(
        client,
        "inbound_callback",
        {"MessageSid": sid, "From": sender, "To": "+33700000000", "Body": body},
    )


@pytest.mark.parametrize("body", ["STOP", " arrêt ! ", "Stop SMS", "désabonner", "UNSUBSCRIBE"])
def test_stop_ends_texting_at_once_with_an_event_and_a_short_reply(client, people, body):
    response = inbound(client, body)
    assert response.status_code == 200 and b"<Message>" in response.content
    consent = Consent.objects.get(contact=people["lea"], channel="sms")
    assert consent.status == "withdrawn"
    event = ConsentEvent.objects.filter(contact=people["lea"], channel="sms").latest("recorded_at")
    assert (event.status, event.source, event.wording) == ("withdrawn", "sms", body[:500])
    assert Inbound.objects.get().kind == "opt_out"


def test_start_opts_back_in(client, people):
    inbound(client, "STOP", sid="SMa")
    inbound(client, "start", sid="SMb")
    assert Consent.objects.get(contact=people["lea"], channel="sms").status == "granted"


def test_stop_in_a_sentence_is_kept_for_a_human_and_changes_nothing(client, people):
    response = inbound(client, "Je ne viendrai pas, stop les messages le dimanche svp")
    assert b"<Message>" not in response.content
    assert Inbound.objects.get().kind == "review"
    assert Consent.objects.get(contact=people["lea"], channel="sms").status == "granted"


def test_a_replayed_inbound_text_is_stored_once(client, people):
    inbound(client, "Oui, je viens")
    inbound(client, "Oui, je viens")
    assert Inbound.objects.count() == 1
    assert Inbound.objects.get().contact == people["lea"]


def test_a_forged_stop_changes_nothing(client, people):
    params = {"MessageSid": "SMx", "From": "+33612345678", "To": "+337", "Body": "STOP"}
    assert post(client, "inbound_callback", params, token="guess").status_code == 403
    assert Consent.objects.get(contact=people["lea"], channel="sms").status == "granted"
