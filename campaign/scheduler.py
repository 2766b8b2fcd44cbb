"""Beat's tasks, run by the development server itself on the embedded defaults.

`make run` has no worker and no beat: tasks run eagerly, in the process that queues them, and
what only beat starts (scheduled blasts, texts that waited out quiet hours, the nightly
retention…) would never run. With EMBEDDED_BEAT=true, which `make run` sets, the serving
process runs settings.CELERY_BEAT_SCHEDULE in one thread, due when beat would run each entry
(Celery's own schedule objects decide), one task at a time; a task that fails is logged and
the others still run. With Redis, celery beat does this and the thread never starts.
"""

import copy
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from celery import Celery
from celery.schedules import BaseSchedule, maybe_schedule
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

# The longest sleep between two looks at the schedule (beat's own is 5 minutes): a clock
# that jumps, a laptop waking up, is noticed within a minute.
MAX_SLEEP = 60.0

Clock = Callable[[], datetime]
Runner = Callable[[str, Mapping[str, Any]], None]


@dataclass
class _Entry:
    name: str
    spec: Mapping[str, Any]  # as in CELERY_BEAT_SCHEDULE: task, schedule, args, kwargs
    schedule: BaseSchedule
    last_run_at: datetime


def _on_clock(spec_schedule: Any, now: Clock, app: Celery) -> BaseSchedule:
    """The entry's schedule (a number of seconds becomes Celery's `schedule`, as beat does),
    a copy reading the time from `now`: the settings' own object is left untouched."""
    if isinstance(spec_schedule, BaseSchedule):
        spec_schedule = copy.copy(spec_schedule)
    made = maybe_schedule(spec_schedule, app=app)
    assert isinstance(made, BaseSchedule)
    made.nowfun = now
    return made


class Scheduler:
    """Beat's schedule run from a loop: `tick()` runs what is due, then says how long to wait.

    As beat does, an entry is first due one period after the start (a crontab at its next
    time), and an entry's period counts from when its last run began."""

    def __init__(
        self, beat_schedule: Mapping[str, Mapping[str, Any]], *, run: Runner, now: Clock, app
    ):
        self.run = run
        self.now = now
        started = now()
        self.entries = [
            _Entry(name, spec, _on_clock(spec["schedule"], now, app), started)
            for name, spec in beat_schedule.items()
        ]

    def tick(self) -> float:
        """Run every entry that is due, one after the other; the seconds until the next look."""
        ran = False
        waits = [MAX_SLEEP]
        for entry in self.entries:
            due, next_in = entry.schedule.is_due(entry.last_run_at)
            if due:
                entry.last_run_at = self.now()
                ran = True
                try:
                    self.run(entry.name, entry.spec)
                except Exception:
                    logger.exception(
                        "Scheduled task %s (%s) failed", entry.name, entry.spec["task"]
                    )
            waits.append(next_in)
        # A run may have taken long: look again at once rather than trust waits measured before.
        return 0.0 if ran else max(min(waits), 0.0)

    def run_forever(self, wait: Callable[[float], bool]) -> None:
        """Tick until `wait(seconds)` says to stop, as threading.Event.wait does once set."""
        while not wait(self.tick()):
            pass


def run_eagerly(name: str, spec: Mapping[str, Any], *, app: Celery) -> None:
    """Run the entry's task here and now, as a worker would; its error is raised."""
    if spec["task"] not in app.tasks:
        app.loader.import_default_modules()  # every app's tasks.py, as a worker does at start
    task = app.tasks[spec["task"]]
    task.apply(args=spec.get("args", ()), kwargs=spec.get("kwargs", {}), throw=True)


def wanted(*, enabled: bool, eager: bool, environ: Mapping[str, str]) -> bool:
    """Only when asked (EMBEDDED_BEAT), only with no worker (tasks eager: with Redis, celery
    beat runs the schedule), and only in runserver's serving process: the autoreloader's
    child, RUN_MAIN; its parent only watches files, and no other command sets it."""
    return enabled and eager and environ.get("RUN_MAIN") == "true"


def start(app: Celery) -> threading.Thread | None:
    """Start the thread in this process if it is wanted here; None if it is not."""
    if not wanted(
        enabled=settings.EMBEDDED_BEAT,
        eager=settings.CELERY_TASK_ALWAYS_EAGER,
        environ=os.environ,
    ):
        return None
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(app, stop), name="embedded-beat", daemon=True)
    thread.start()
    return thread


def _serve(app: Celery, stop: threading.Event) -> None:
    def run(name: str, spec: Mapping[str, Any]) -> None:
        close_old_connections()  # this thread's own connections, as a request's are
        try:
            run_eagerly(name, spec, app=app)
        finally:
            close_old_connections()

    scheduler = Scheduler(settings.CELERY_BEAT_SCHEDULE, run=run, now=app.now, app=app)
    logger.info(
        "Beat's tasks run in this process (EMBEDDED_BEAT): %s",
        ", ".join(e.name for e in scheduler.entries),
    )
    scheduler.run_forever(stop.wait)
