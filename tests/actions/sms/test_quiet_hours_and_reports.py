"""Promises under real delivery: no text leaves once quiet hours have begun, whatever the
batch, rate or number of workers; no delivery report is lost, even one that comes before
Twilio's answer to the send has been read."""

from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
from django.utils import timezone

from actions.sms.models import Blast, Message, PendingReport
from actions.sms.services.blasts import blast_save
from actions.sms.services.quiet_hours import PARIS, quiet_begins
from actions.sms.services.recovery import recover
from actions.sms.services.sending import blast_fan_out, blast_send_batch
from contacts.models import Consent, ContactPhone
from tests.actions.sms.test_worker_killed import many_people, wait_until
from tests.fake_twilio import FakeTwilio


def window_from(moment: datetime, *, hours: int = 1) -> dict:
    """Quiet hours that begin at `moment` (to the second, Europe/Paris) and last `hours`."""
    local = moment.astimezone(PARIS)
    return {
        "quiet_start": local.time().replace(microsecond=0),
        "quiet_end": (local + timedelta(hours=hours)).time().replace(microsecond=0),
    }


def next_second(moment: datetime) -> datetime:
    """The first whole second after `moment` (quiet hours are set to the second)."""
    return moment.replace(microsecond=0) + timedelta(seconds=1)


def started_blast(actor, segment, **quiet) -> Blast:
    blast = blast_save(actor=actor, name="Jeudi", segment=segment, body="Salut {prenom}")
    Blast.objects.filter(pk=blast.pk).update(
        status=Blast.Status.SCHEDULED, started_by=actor, **quiet
    )
    return blast


def test_the_next_quiet_window_begins_today_or_tomorrow_or_now():
    blast = Blast(quiet_start=clock(21), quiet_end=clock(9))
    afternoon = datetime(2026, 12, 3, 15, 0, tzinfo=PARIS)
    night = datetime(2026, 12, 3, 23, 0, tzinfo=PARIS)
    assert quiet_begins(blast, afternoon) == datetime(2026, 12, 3, 21, 0, tzinfo=PARIS)
    assert quiet_begins(blast, night) == night
    assert (
        quiet_begins(Blast(quiet_start=blast.quiet_start, quiet_end=blast.quiet_start), night)
        is None
    )


@pytest.mark.django_db(transaction=True)
def test_no_text_leaves_once_quiet_hours_begin_in_the_middle_of_a_batch(
    fake_twilio, settings, admin_user
):
    settings.SMS_SEGMENTS_PER_SECOND = 20  # 100 texts take 5 s; the window opens after 2 to 3
    blast = started_blast(admin_user, many_people(100))
    batches = blast_fan_out(blast_id=blast.pk)
    boundary = next_second(timezone.now() + timedelta(seconds=2))
    Blast.objects.filter(pk=blast.pk).update(**window_from(boundary))

    results = [blast_send_batch(blast_id=blast.pk, message_ids=batch) for batch in batches]

    assert fake_twilio.received_since(boundary) == 0
    sent = Message.objects.filter(blast=blast, sid__isnull=False).count()
    waiting = Message.objects.filter(blast=blast, status=Message.Status.QUEUED).count()
    assert 0 < sent < 100
    assert (sent + waiting, fake_twilio.stats()["received"]) == (100, sent)
    assert sum(r.held for r in results) == waiting
    blast.refresh_from_db()
    assert (blast.status, blast.resume_at) == (Blast.Status.SENDING, boundary + timedelta(hours=1))
    # The claims given back do not count as attempts.
    assert set(Message.objects.filter(status="queued").values_list("attempts", flat=True)) == {0}


@pytest.mark.django_db(transaction=True)
def test_a_waiting_blast_stays_in_the_database_until_its_window_ends_then_goes_once(
    fake_twilio, settings, admin_user, eager_tasks
):
    segment = many_people(30)
    blast = started_blast(admin_user, segment, **window_from(timezone.now() - timedelta(minutes=1)))
    for batch in blast_fan_out(blast_id=blast.pk):
        blast_send_batch(blast_id=blast.pk, message_ids=batch)
    blast.refresh_from_db()
    assert blast.resume_at is not None
    assert fake_twilio.stats()["received"] == 0

    during = recover()  # beat, a minute later: still quiet, nothing queued
    assert (during["after_quiet_hours"], during["resumed"], fake_twilio.stats()["received"]) == (
        0,
        0,
        0,
    )

    # The window ends (moved into the past here): the next recovery sends everything, once.
    Blast.objects.filter(pk=blast.pk).update(
        resume_at=timezone.now() - timedelta(seconds=1),
        **window_from(timezone.now() - timedelta(hours=3)),
    )
    after = recover()
    blast.refresh_from_db()
    assert after["after_quiet_hours"] == 1
    assert (blast.status, blast.resume_at) == (Blast.Status.DONE, None)
    assert (fake_twilio.stats()["received"], fake_twilio.stats()["duplicate_to"]) == (30, 0)


@pytest.fixture
def reporting_twilio(live_server, settings):
    """The fake Twilio calling our live server back as Twilio does: "sent" before its answer
    to the send is written, the final report a second later, then "sent" and the final one
    again, out of order."""
    from django.db import connection

    from actions.sms.backends import sms_backend

    if connection.vendor != "postgresql":  # Twilio calls back at once, from several threads
        pytest.skip("SQLite's in-memory test database takes one request at a time")
    with FakeTwilio(
        status_callbacks=True, report_before_answer=True, report_delay_s=1.0, report_twice=True
    ) as fake:
        settings.SITE_URL = live_server.url
        settings.TWILIO_ACCOUNT_SID = fake.account_sid
        settings.TWILIO_AUTH_TOKEN = fake.auth_token
        settings.TWILIO_FROM = "Terrain"
        settings.TWILIO_MESSAGING_SERVICE_SID = ""
        settings.TWILIO_API_BASE_URL = fake.url
        settings.SMS_BACKEND = "actions.sms.backends.TwilioBackend"
        sms_backend.cache_clear()
        yield fake
        sms_backend.cache_clear()


@pytest.mark.django_db(transaction=True)
def test_reports_that_come_before_the_sid_is_stored_are_kept_and_applied(
    reporting_twilio, settings, admin_user
):
    settings.SMS_SEGMENTS_PER_SECOND = 30  # 45 texts over 1.5 s: reports come mid-batch
    segment = many_people(45)
    phones = list(ContactPhone.objects.order_by("contact_id"))
    reporting_twilio.undeliverable(to=phones[0].e164, code=30005)  # unknown number
    reporting_twilio.undeliverable(to=phones[1].e164, code=30004)  # blocked by the person
    blast = started_blast(admin_user, segment)

    for batch in blast_fan_out(blast_id=blast.pk):
        blast_send_batch(blast_id=blast.pk, message_ids=batch)
    assert reporting_twilio.wait_for_callbacks(timeout=30)

    statuses = dict(Message.objects.values_list("to", "status"))
    assert statuses.pop(phones[0].e164) == statuses.pop(phones[1].e164) == "undelivered"
    assert set(statuses.values()) == {"delivered"}
    assert PendingReport.objects.count() == 0
    assert reporting_twilio.stats()["report_answers"] == {"200": 45 * 4}  # each answered 200
    phones[0].refresh_from_db()
    assert phones[0].sms_blocked.startswith("30005")
    consent = Consent.objects.get(contact_id=phones[1].contact_id, channel="sms")
    assert consent.status == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_a_report_kept_for_an_unknown_sid_is_applied_by_beat_once_the_sid_appears(people):
    from actions.sms.services.status import message_status_update

    message_status_update(sid="SMlate", status="delivered")
    Message.objects.create(
        contact=people["lea"], to="+33612345678", body="Hi", sid="SMlate", status="sent"
    )
    recover()
    assert Message.objects.get(sid="SMlate").status == "delivered"
    assert PendingReport.objects.count() == 0


@pytest.mark.real_worker
def test_several_workers_stop_at_the_second_quiet_hours_begin(celery_workers, admin_user):
    from actions.sms.tasks import blast_fan_out_task, sms_recover_task
    from campaign.celery import app

    segment = many_people(300)
    with FakeTwilio(latency_ms=20) as fake:
        env = {
            "TWILIO_ACCOUNT_SID": fake.account_sid,
            "TWILIO_AUTH_TOKEN": fake.auth_token,
            "TWILIO_FROM": "Terrain",
            "TWILIO_API_BASE_URL": fake.url,
            "SMS_SEGMENTS_PER_SECOND": "40",  # 300 texts over 7.5 s
            "SMS_QUIET_HOURS": "",
        }
        app.control.purge()
        for _ in range(3):
            celery_workers.start(queues=["celery"], env=env)
        boundary = next_second(timezone.now() + timedelta(seconds=4))
        blast = started_blast(admin_user, segment, **window_from(boundary))
        blast_fan_out_task.delay(blast.pk)
        waiting = Blast.objects.filter(pk=blast.pk, resume_at__isnull=False)
        assert wait_until(waiting.exists, timeout=60)
        settled = Message.objects.filter(blast=blast, status=Message.Status.SENDING)
        assert wait_until(lambda: not settled.exists(), timeout=30)

        assert fake.received_since(boundary.astimezone(UTC)) == 0
        first_night = fake.stats()["received"]
        assert 0 < first_night < 300

        # Morning: the window is over; beat wakes the blast and the rest goes, once each.
        Blast.objects.filter(pk=blast.pk).update(
            resume_at=timezone.now() - timedelta(seconds=1),
            **window_from(timezone.now() - timedelta(hours=3)),
        )
        sms_recover_task.delay()
        done = Blast.objects.filter(pk=blast.pk, status=Blast.Status.DONE)
        assert wait_until(done.exists, timeout=60)
        stats = fake.stats()
        assert (stats["received"], stats["unique_to"], stats["duplicate_to"]) == (300, 300, 0)
