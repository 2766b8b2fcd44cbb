"""Shared counters: a steady rate for a sender, and rate-limit windows."""

import threading
import time
import uuid

from campaign.counters import throttle, window_hit


def test_a_throttle_holds_the_rate_across_threads_without_bursts():
    sent_at: list[float] = []
    key = f"test:{uuid.uuid4()}"  # Redis keeps keys between runs

    def sender():
        for _ in range(10):
            throttle(key, 1, per_second=40)
            sent_at.append(time.monotonic())

    threads = [threading.Thread(target=sender) for _ in range(4)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent_at.sort()
    rate = (len(sent_at) - 1) / (sent_at[-1] - sent_at[0])
    assert 30 <= rate <= 41  # never faster; a loaded machine may be slower
    assert sent_at[-1] - started >= 0.95  # 40 sends at 40/s: the last one a second in
    gaps = [b - a for a, b in zip(sent_at, sent_at[1:], strict=False)]
    assert max(gaps) < 0.2  # evenly spread, not a burst then a pause


def test_a_text_of_three_segments_takes_three_slots():
    key = f"test:{uuid.uuid4()}"
    throttle(key, 3, per_second=30)
    started = time.monotonic()
    throttle(key, 1, per_second=30)
    assert time.monotonic() - started >= 0.09


def test_a_window_counts_attempts_past_the_limit(db):
    key = f"test:{uuid.uuid4()}"
    hits = [window_hit(key, limit=2, seconds=60) for _ in range(4)]
    assert hits == [False, False, True, True]
