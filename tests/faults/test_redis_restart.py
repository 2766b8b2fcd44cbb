"""Redis restarts in the middle of a blast, losing what it held (CI runs it without
persistence: the queued tasks, the sender's schedule): afterwards every recipient has
exactly one text. Real Celery workers reach Redis through a proxy that plays the restart;
the fake Twilio is the provider."""

import time

import pytest
import redis

from actions.sms.models import Blast, Message
from tests.actions.sms.test_worker_killed import scheduled_blast, wait_until, worker_env
from tests.fake_twilio import FakeTwilio

RECIPIENTS = 300

pytestmark = pytest.mark.real_worker


def test_a_redis_restart_mid_blast_leaves_every_recipient_exactly_one_text(
    celery_workers, redis_proxy, admin_user, settings
):
    from actions.sms.tasks import blast_fan_out_task, sms_recover_task
    from campaign.celery import app

    settings.SMS_QUIET_HOURS = ""  # the blast takes its quiet hours from here; none, at night too
    blast = scheduled_blast(admin_user, RECIPIENTS)
    with FakeTwilio(latency_ms=20) as fake:
        env = worker_env(fake) | {"REDIS_URL": redis_proxy.redis_url}
        app.control.purge()
        celery_workers.start(queues=["celery"], env=env)
        blast_fan_out_task.delay(blast.pk)
        sent = Message.objects.filter(blast=blast, sid__isnull=False)
        assert wait_until(lambda: sent.count() >= 60, timeout=60)

        redis_proxy.cut()  # Redis stops: the worker's connections reset, new ones refused
        redis.Redis.from_url(settings.REDIS_URL).flushdb()  # and comes back empty
        time.sleep(3)
        assert sent.count() < RECIPIENTS
        redis_proxy.restore()

        done = wait_until(
            lambda: Blast.objects.get(pk=blast.pk).status == Blast.Status.DONE,
            timeout=120,
            every=1.5,
            action=lambda: sms_recover_task.delay(),  # what beat does every minute
        )
        assert done
        stats = fake.stats()
        assert stats["received"] == RECIPIENTS
        assert stats["duplicate_to"] == 0
        assert sent.count() == RECIPIENTS
        at_twilio = {m["to"]: m["sid"] for m in fake.messages}
        assert all(at_twilio[m.to] == m.sid for m in Message.objects.filter(blast=blast))
