"""Through the official client against a local fake Twilio: SIDs, refusals, retries, and a
text whose worker died is looked up before anything is sent again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.sms.models import Blast, Message
from actions.sms.services.blasts import blast_save
from actions.sms.services.sending import blast_fan_out, blast_send_batch
from contacts.models import Consent
from tests.fake_twilio import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(admin_user, segment):
    blast = blast_save(actor=admin_user, name="b", segment=segment, body="Salut {prenom}")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=admin_user)
    return blast, blast_fan_out(blast_id=blast.pk)[0]


def test_texts_go_through_twilios_api_and_keep_their_sid(fake, queued):
    blast, batch = queued
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert result.sent == 2
    at_twilio = {m["to"]: m for m in fake.messages}
    for message in Message.objects.all():
        assert at_twilio[message.to]["sid"] == message.sid
        assert at_twilio[message.to]["body"] == message.body
        assert at_twilio[message.to]["from_"] == "Terrain"


def test_an_unsubscribed_number_turns_sms_consent_off(fake, queued, people):
    blast, batch = queued
    fake.fail(to="+33612345678", status=400, code=21610)
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert (result.sent, result.failed) == (1, 1)
    assert Message.objects.get(contact=people["lea"]).error_code == "21610"
    assert Consent.objects.get(contact=people["lea"], channel="sms").status == "withdrawn"


def test_a_number_that_is_not_a_mobile_is_never_texted_again(fake, queued, people):
    blast, batch = queued
    fake.fail(to="+33781234567", status=400, code=21614)
    blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert people["hugo"].phones.get().sms_blocked.startswith("21614")
    from actions.sms.selectors import sms_reachable
    from contacts.models import Contact

    assert not sms_reachable(Contact.objects.filter(pk=people["hugo"].pk)).exists()


def test_rate_limited_requests_are_retried_and_each_text_goes_once(fake, queued):
    blast, batch = queued
    fake.fail_next(2, status=429, code=20429)
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert result.sent == 2
    assert fake.stats()["received"] == 2 and fake.stats()["duplicate_to"] == 0


def test_a_text_claimed_by_a_dead_worker_is_looked_up_not_sent_again(fake, queued, settings):
    blast, batch = queued
    lea = Message.objects.get(to="+33612345678")
    # The dead worker had reached Twilio for Léa but died before writing the SID down.
    sid = client_for(fake).messages.create(to=lea.to, from_="Terrain", body=lea.body).sid
    Message.objects.filter(pk=lea.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=10)
    )
    blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert Message.objects.get(pk=lea.pk).sid == sid
    assert fake.stats()["received"] == 2 and fake.stats()["duplicate_to"] == 0
    assert Blast.objects.get().status == "done"


def test_provider_errors_are_retried_with_backoff_and_each_text_goes_once(fake, queued):
    blast, batch = queued
    fake.fail_next(3, status=500, code=20500)
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert result.sent == 2
    assert fake.stats()["received"] == 2 and fake.stats()["duplicate_to"] == 0
    assert Blast.objects.get().status == "done"


def test_a_provider_that_keeps_failing_ends_with_the_texts_marked_failed(fake, queued, settings):
    blast, batch = queued
    settings.SMS_MAX_ATTEMPTS = 1
    fake.fail_next(100, status=503, code=20500)
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert (result.sent, result.failed, result.retry_later) == (0, 2, [])
    assert set(Message.objects.values_list("status", "error_code")) == {("failed", "20500")}
    assert Blast.objects.get().status == "done"
    assert fake.stats()["received"] == 0


def test_a_provider_still_failing_after_a_few_tries_leaves_the_texts_for_later(fake, queued):
    blast, batch = queued
    fake.fail_next(100, status=500, code=20500)
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert (result.sent, result.failed, len(result.retry_later)) == (0, 0, 2)
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}

    fake.fail_next(0)
    result = blast_send_batch(blast_id=blast.pk, message_ids=result.retry_later)
    assert result.sent == 2
    assert fake.stats()["received"] == 2 and fake.stats()["duplicate_to"] == 0


def test_a_text_whose_answer_timed_out_is_looked_up_not_sent_again(fake, queued, settings):
    blast, batch = queued
    settings.TWILIO_TIMEOUT_SECONDS = 1
    fake.stall_next(1, seconds=2, record=True)  # Twilio took it; its answer came too late
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert result.sent == 2
    assert fake.stats()["received"] == 2 and fake.stats()["duplicate_to"] == 0
    at_twilio = {m["to"]: m["sid"] for m in fake.messages}
    assert all(at_twilio[m.to] == m.sid for m in Message.objects.all())


def test_a_text_lost_in_a_timeout_is_sent_again(fake, queued, settings):
    blast, batch = queued
    settings.TWILIO_TIMEOUT_SECONDS = 1
    fake.stall_next(1, seconds=2, record=False)  # the request never reached Twilio
    result = blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert result.sent == 2
    assert fake.stats()["received"] == 2 and fake.stats()["duplicate_to"] == 0
