"""Shared counters: a steady rate for a sender, and rate-limit windows.

The schedule is judged by the slots it books, not by a wall clock: a loaded machine is slow,
and a test timing it would fail for that. The embedded default's clock is frozen here; Redis
keeps its own, so there each slot lasts a minute and a slot's number is its wait, rounded.
"""

import threading
import uuid

import pytest
from django.conf import settings

from campaign import counters
from campaign.counters import book, throttle, window_hit

SLOT = 60.0  # seconds per unit on Redis's own clock: no test run is that slow


@pytest.fixture
def key():
    key = f"test:{uuid.uuid4()}"  # Redis keeps keys between runs
    yield key
    if settings.REDIS_URL:
        counters._redis().delete(counters.PREFIX + key)


class Clock:
    """The embedded default's clock, moved by hand; a sleep moves it too."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(settings, monkeypatch):
    settings.REDIS_URL = ""
    clock = Clock()
    monkeypatch.setattr(counters, "time", clock)
    return clock


def book_from_threads(key: str, *, threads: int, each: int, per_second: float) -> list[float]:
    waits: list[float] = []

    def sender():
        for _ in range(each):
            waits.append(book(key, 1, per_second=per_second))

    started = [threading.Thread(target=sender) for _ in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join()
    return sorted(waits)


def test_a_throttle_gives_each_send_its_own_slot_across_threads(clock, key):
    waits = book_from_threads(key, threads=4, each=10, per_second=40)

    # 40 sends at 40/s: one every 25 ms, none sharing a slot, the last one 975 ms in.
    assert waits == pytest.approx([n / 40 for n in range(40)])


def test_a_schedule_left_idle_saves_no_burst_for_later(clock, key):
    throttle(key, 1, per_second=10)
    clock.now += 60  # a quiet minute

    throttle(key, 1, per_second=10)
    throttle(key, 1, per_second=10)

    assert clock.slept == [pytest.approx(0.1)]  # the second of the pair waits its turn


def test_a_text_of_three_segments_takes_three_slots(clock, key):
    throttle(key, 3, per_second=30)
    throttle(key, 1, per_second=30)
    assert clock.slept == [pytest.approx(0.1)]


def test_each_booking_gets_its_own_slot_on_the_shared_clock(key):
    """On Redis (CI) or the embedded default: whichever clock, no two sends share a slot."""
    waits = book_from_threads(key, threads=4, each=5, per_second=1 / SLOT)
    assert [round(wait / SLOT) for wait in waits] == list(range(20))


def test_three_segments_push_the_next_text_three_slots_on_the_shared_clock(key):
    assert book(key, 3, per_second=1 / SLOT) == 0
    assert round(book(key, 1, per_second=1 / SLOT) / SLOT) == 3


def test_a_window_counts_attempts_past_the_limit(db):
    key = f"test:{uuid.uuid4()}"
    hits = [window_hit(key, limit=2, seconds=60) for _ in range(4)]
    assert hits == [False, False, True, True]
