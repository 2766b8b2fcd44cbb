"""STOP as people write it ("stop svp"), through Twilio's signed incoming-message webhook:
texting ends at once, for this person and for the next blast."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from actions.sms.models import Blast, Inbound, Message, OptOut
from actions.sms.services.blasts import blast_save
from actions.sms.services.inbound import OPT_OUT_REPLY
from actions.sms.services.sending import blast_fan_out, blast_send_batch
from contacts.models import Consent, ConsentEvent

pytestmark = pytest.mark.django_db
TOKEN = "test-auth-token"


@pytest.fixture(autouse=True)
def _twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN


def reply_by_text(client, body: str, *, sender: str):
    """What Twilio posts when a person answers one of our texts."""
    path = reverse("sms:inbound_callback")
    params = {"MessageSid": "SMin1", "From": sender, "To": "+33700000000", "Body": body}
    signature = RequestValidator(TOKEN).compute_signature("https://terrain.example" + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def send_blast(actor, segment) -> None:
    blast = blast_save(actor=actor, name="Samedi", segment=segment, body="RDV samedi 10h")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=actor)
    for batch in blast_fan_out(blast_id=blast.pk):
        blast_send_batch(blast_id=blast.pk, message_ids=batch)


def test_stop_svp_ends_texting_at_once_and_the_next_blast_skips_the_number(
    client, people, segment, admin_user
):
    response = reply_by_text(client, "stop svp", sender="+33612345678")  # Léa
    assert response.status_code == 200
    assert f"<Message>{OPT_OUT_REPLY}</Message>" in response.content.decode()
    assert Inbound.objects.get().kind == "opt_out"
    assert Consent.objects.get(contact=people["lea"], channel="sms").status == "withdrawn"
    event = ConsentEvent.objects.filter(contact=people["lea"], channel="sms").latest("recorded_at")
    assert (event.status, event.wording) == ("withdrawn", "stop svp")
    assert OptOut.objects.filter(number="+33612345678").exists()

    send_blast(admin_user, segment)
    assert list(Message.objects.values_list("to", flat=True)) == ["+33781234567"]  # Hugo only
