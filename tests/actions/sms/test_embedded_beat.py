"""On the embedded defaults (`make run`: no worker, no beat) a scheduled blast still goes when
its time comes: the server's own scheduler runs beat's recovery task."""

from datetime import timedelta
from functools import partial

import pytest
from django.conf import settings
from django.utils import timezone

from actions.sms.models import Blast, Message
from actions.sms.services.blasts import blast_save, blast_start
from campaign.celery import app
from campaign.scheduler import Scheduler, run_eagerly

pytestmark = pytest.mark.django_db


class Clock:
    """The time now, or `ahead` of it: the scheduler's minute passes without waiting."""

    ahead = timedelta(0)

    def __call__(self):
        return timezone.now() + self.ahead


def test_a_scheduled_blast_goes_when_due_with_no_beat(
    admin_user, segment, eager_tasks, django_capture_on_commit_callbacks
):
    blast = blast_save(actor=admin_user, name="Meeting", segment=segment, body="Bonjour {prenom}")
    blast_start(blast=blast, actor=admin_user, at=timezone.now() + timedelta(minutes=5))
    Blast.objects.filter(pk=blast.pk).update(scheduled_at=timezone.now())  # its time has come
    clock = Clock()
    beat = Scheduler(
        {"sms-recover": settings.CELERY_BEAT_SCHEDULE["sms-recover"]},
        run=partial(run_eagerly, app=app),
        now=clock,
        app=app,
    )
    with django_capture_on_commit_callbacks(execute=True):
        beat.tick()
    assert Blast.objects.get().status == "scheduled"  # beat too waits a minute after its start
    clock.ahead = timedelta(seconds=60)
    with django_capture_on_commit_callbacks(execute=True):
        beat.tick()
    assert Blast.objects.get().status == "done"
    assert Message.objects.filter(blast=blast, status="sent").count() == 2
