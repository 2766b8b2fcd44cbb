"""A worker killed with SIGKILL in the middle of a blast: every recipient still gets exactly
one text (real Celery workers on Redis and PostgreSQL, the fake Twilio as the provider)."""

import os
import signal
import time

import pytest
from django.utils import timezone

from actions.sms.models import Blast, Message
from actions.sms.services.blasts import blast_save
from contacts.models import Consent, Contact, ContactPhone, Segment, SegmentMember
from tests.fake_twilio import FakeTwilio

RECIPIENTS = 300


def many_people(n: int) -> Segment:
    now = timezone.now()
    contacts = Contact.objects.bulk_create(
        Contact(first_name=f"P{i}", last_name="Test", source="manual", source_at=now)
        for i in range(n)
    )
    ContactPhone.objects.bulk_create(
        ContactPhone(
            contact=c, raw=f"06{c.pk:08d}", e164=f"+336{c.pk:08d}", kind="mobile", is_primary=True
        )
        for c in contacts
    )
    Consent.objects.bulk_create(
        Consent(contact=c, channel="sms", status="granted", source="manual", changed_at=now)
        for c in contacts
    )
    segment = Segment.objects.create(name="all", is_static=True)
    SegmentMember.objects.bulk_create(SegmentMember(segment=segment, contact=c) for c in contacts)
    return segment


def wait_until(condition, timeout: float, every: float = 0.2, action=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if action:
            action()
        time.sleep(every)
    return condition()


def scheduled_blast(actor, recipients: int) -> Blast:
    """A blast to `recipients` people, ready for a worker's fan-out."""
    segment = many_people(recipients)
    blast = blast_save(actor=actor, name="fault", segment=segment, body="Salut {prenom}")
    Blast.objects.filter(pk=blast.pk).update(status=Blast.Status.SCHEDULED, started_by=actor)
    return blast


def worker_env(fake: FakeTwilio) -> dict:
    """A worker's settings: the fake Twilio, 100 segments/s, claims stale after 2 s."""
    return {
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM": "Terrain",
        "TWILIO_API_BASE_URL": fake.url,
        "SMS_SEGMENTS_PER_SECOND": "100",
        "SMS_CLAIM_STALE_SECONDS": "2",
        "SMS_QUIET_HOURS": "",
    }


@pytest.mark.real_worker
def test_a_worker_killed_mid_blast_leaves_every_recipient_exactly_one_text(
    celery_workers, admin_user
):
    from actions.sms.tasks import blast_fan_out_task, sms_recover_task
    from campaign.celery import app

    blast = scheduled_blast(admin_user, RECIPIENTS)
    with FakeTwilio(latency_ms=20) as fake:
        env = worker_env(fake)
        app.control.purge()  # the default queue holds nothing from earlier tests
        first = celery_workers.start(queues=["celery"], env=env)
        blast_fan_out_task.delay(blast.pk)
        sent = Message.objects.filter(blast=blast, sid__isnull=False)
        assert wait_until(lambda: sent.count() >= 60, timeout=60)
        os.kill(first.pid, signal.SIGKILL)  # mid-batch: some texts claimed, not recorded
        first.wait()
        assert sent.count() < RECIPIENTS

        celery_workers.start(queues=["celery"], env=env)
        done = wait_until(
            lambda: Blast.objects.get(pk=blast.pk).status == Blast.Status.DONE,
            timeout=120,
            every=1.5,
            action=lambda: sms_recover_task.delay(),
        )
        assert done
        stats = fake.stats()
        assert stats["received"] == RECIPIENTS
        assert stats["duplicate_to"] == 0
        assert stats["unique_to"] == RECIPIENTS
        assert sent.count() == RECIPIENTS
        at_twilio = {m["to"]: m["sid"] for m in fake.messages}
        assert all(at_twilio[m.to] == m.sid for m in Message.objects.filter(blast=blast))
