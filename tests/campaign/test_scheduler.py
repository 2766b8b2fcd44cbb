"""On the embedded defaults, the development server runs beat's schedule itself: each entry
when beat would run it, one at a time, a failure logged; and nowhere else."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings

from campaign import scheduler
from campaign.celery import app

from .test_settings import start_django

PARIS = ZoneInfo("Europe/Paris")


class FakeClock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 3, 17, 0, 0, tzinfo=PARIS))


@pytest.fixture
def ran() -> list[str]:
    return []


def every_minute_and_nightly(clock, ran) -> scheduler.Scheduler:
    return scheduler.Scheduler(
        {
            "sms-recover": {"task": "sms.recover", "schedule": 60.0},
            "retention": {
                "task": "contacts.retention_apply",
                "schedule": crontab(hour=3, minute=30),
            },
        },
        run=lambda name, spec: ran.append(name),
        now=clock,
        app=app,
    )


def test_an_every_minute_entry_first_runs_a_minute_after_the_start_then_every_minute(clock, ran):
    beat = every_minute_and_nightly(clock, ran)
    beat.tick()
    clock.advance(seconds=59)
    beat.tick()
    assert ran == []
    clock.advance(seconds=1)
    beat.tick()
    assert ran == ["sms-recover"]
    clock.advance(seconds=30)
    beat.tick()
    assert ran == ["sms-recover"]
    clock.advance(seconds=30)
    beat.tick()
    assert ran == ["sms-recover", "sms-recover"]


def test_a_crontab_entry_runs_at_its_time_in_paris_once_a_day(clock, ran):
    beat = every_minute_and_nightly(clock, ran)
    clock.at = datetime(2026, 12, 4, 3, 29, tzinfo=PARIS)
    beat.tick()
    assert "retention" not in ran
    clock.at = datetime(2026, 12, 4, 3, 30, 5, tzinfo=PARIS)
    beat.tick()
    clock.advance(minutes=1)
    beat.tick()
    assert ran.count("retention") == 1
    clock.at = datetime(2026, 12, 5, 3, 30, 1, tzinfo=PARIS)
    beat.tick()
    assert ran.count("retention") == 2


def test_the_wait_after_a_tick_is_until_the_next_entry_is_due(clock, ran):
    beat = every_minute_and_nightly(clock, ran)
    assert beat.tick() == pytest.approx(60)
    clock.advance(seconds=45)
    assert beat.tick() == pytest.approx(15)


def test_after_running_a_task_it_looks_again_at_once_and_runs_nothing_twice(clock, ran):
    beat = every_minute_and_nightly(clock, ran)
    clock.advance(seconds=60)
    assert beat.tick() == 0
    assert beat.tick() == pytest.approx(60)
    assert ran == ["sms-recover"]


def test_a_night_without_tasks_is_looked_at_every_minute_at_most(clock, ran):
    beat = scheduler.Scheduler(
        {"retention": {"task": "contacts.retention_apply", "schedule": crontab(hour=3, minute=30)}},
        run=lambda name, spec: ran.append(name),
        now=clock,
        app=app,
    )
    assert beat.tick() == scheduler.MAX_SLEEP


def test_a_failing_task_is_logged_and_the_other_entries_still_run(clock, caplog):
    ran = []

    def run(name, spec):
        if name == "broken":
            raise RuntimeError("the database is locked")
        ran.append(name)

    beat = scheduler.Scheduler(
        {
            "broken": {"task": "webhooks.retry", "schedule": 60.0},
            "funnel-refresh": {"task": "contacts.funnel_refresh", "schedule": 60.0},
        },
        run=run,
        now=clock,
        app=app,
    )
    clock.advance(seconds=60)
    with caplog.at_level(logging.ERROR, logger="campaign.scheduler"):
        beat.tick()
    assert ran == ["funnel-refresh"]
    assert "Scheduled task broken (webhooks.retry) failed" in caplog.text
    assert "the database is locked" in caplog.text
    clock.advance(seconds=60)
    beat.tick()
    assert ran == ["funnel-refresh", "funnel-refresh"]


def test_the_loop_runs_the_schedule_until_told_to_stop(clock, ran):
    beat = every_minute_and_nightly(clock, ran)
    started = clock()

    def wait(seconds: float) -> bool:  # as threading.Event.wait: True once stopped
        clock.advance(seconds=seconds)
        return clock() - started > timedelta(minutes=10, seconds=30)

    beat.run_forever(wait)
    assert ran == ["sms-recover"] * 10


def test_the_settings_schedule_keeps_its_own_clock(clock, ran):
    scheduler.Scheduler(settings.CELERY_BEAT_SCHEDULE, run=ran.append, now=clock, app=app)
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["schedule"].nowfun is None


def test_every_task_of_the_settings_schedule_is_known_to_celery():
    app.loader.import_default_modules()
    assert {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()} <= set(app.tasks)


def test_it_is_wanted_only_in_runservers_serving_process_without_a_worker():
    serving = {"RUN_MAIN": "true"}
    assert scheduler.wanted(enabled=True, eager=True, environ=serving)
    # The autoreloader's parent, other manage.py commands, gunicorn: no RUN_MAIN.
    assert not scheduler.wanted(enabled=True, eager=True, environ={})
    # With REDIS_URL tasks go to a worker, and celery beat runs the schedule.
    assert not scheduler.wanted(enabled=True, eager=False, environ=serving)
    assert not scheduler.wanted(enabled=False, eager=True, environ=serving)


THREADS = "import django, threading; django.setup(); print([t.name for t in threading.enumerate()])"


def test_runservers_serving_process_starts_the_thread_on_the_embedded_defaults():
    run = start_django(THREADS, EMBEDDED_BEAT="true", RUN_MAIN="true")
    assert run.returncode == 0, run.stderr
    assert "embedded-beat" in run.stdout


@pytest.mark.parametrize(
    "env",
    [
        {"EMBEDDED_BEAT": "true"},  # a management command, gunicorn
        {"EMBEDDED_BEAT": "true", "RUN_MAIN": "true", "REDIS_URL": "redis://127.0.0.1:1/0"},
    ],
)
def test_no_thread_starts_anywhere_else(env):
    run = start_django(THREADS, **env)
    assert run.returncode == 0, run.stderr
    assert "embedded-beat" not in run.stdout


def test_the_tests_run_no_scheduler():
    import threading

    assert "embedded-beat" not in {t.name for t in threading.enumerate()}
