"""Peer-to-peer texting on the production path: real Celery workers on Redis and PostgreSQL
write the conversations and send each tapped text through the fake Twilio, once."""

import pytest

from actions.sms.models import Conversation, Message
from actions.sms.p2p import services
from tests.actions.sms.test_worker_killed import many_people, wait_until
from tests.fake_twilio import FakeTwilio


@pytest.mark.real_worker
def test_a_worker_writes_the_conversations_and_sends_each_tapped_text_once(
    celery_workers, admin_user, volunteer
):
    from campaign.celery import app

    segment = many_people(30)
    with FakeTwilio(latency_ms=50) as fake:
        app.control.purge()
        celery_workers.start(
            queues=["celery"],
            env={
                "TWILIO_ACCOUNT_SID": fake.account_sid,
                "TWILIO_AUTH_TOKEN": fake.auth_token,
                "TWILIO_FROM": "Terrain",
                "TWILIO_API_BASE_URL": fake.url,
                "SMS_QUIET_HOURS": "",
            },
        )
        campaign = services.p2p_campaign_save(
            actor=admin_user, name="Relance", segment=segment, script="Salut {prenom} !"
        )
        services.p2p_campaign_start(campaign=campaign, actor=admin_user)
        conversations = Conversation.objects.filter(campaign=campaign)
        assert wait_until(lambda: conversations.count() == 30, timeout=30)
        services.conversations_assign(
            campaign=campaign, volunteer=volunteer, count=5, actor=admin_user
        )
        for conversation in conversations.filter(volunteer=volunteer):
            services.conversation_open(conversation=conversation, actor=volunteer)
            services.conversation_open(conversation=conversation, actor=volunteer)  # double tap
        sent = Message.objects.filter(conversation__campaign=campaign, sid__isnull=False)
        assert wait_until(lambda: sent.count() == 5, timeout=30)
        assert fake.stats()["received"] == 5 and fake.stats()["duplicate_to"] == 0
        assert {m["body"] for m in fake.messages} == {
            m.body for m in Message.objects.filter(conversation__campaign=campaign)
        }
