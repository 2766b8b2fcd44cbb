"""Counters and flags every process shares: rate limits, and "queued once" flags.

On Redis each is one round trip, through one long-lived client (Django's cache opens a new
client object on every call, and a rate limit through it takes two round trips). On the
embedded default, the in-process cache stands in.
"""

import threading
import time
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache

PREFIX = "terrain:"


@memoize
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def window_hit(key: str, *, limit: int, seconds: int = 60) -> bool:
    """Count one attempt for `key` in a fixed window; True once more than `limit` came."""
    key = PREFIX + key
    if settings.REDIS_URL:
        pipe = _redis().pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, seconds, nx=True)
        attempts, _expiry_set = pipe.execute()
        return attempts > limit
    if cache.add(key, 1, timeout=seconds):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # the window closed in between: a new one
        cache.set(key, 1, timeout=seconds)
        return limit < 1


def flag_raise(key: str, *, seconds: int) -> bool:
    """Raise the flag `key` for `seconds`; True if it was down (the caller acts, once)."""
    key = PREFIX + key
    if settings.REDIS_URL:
        return bool(_redis().set(key, 1, nx=True, ex=seconds))
    return cache.add(key, 1, timeout=seconds)


def flag_lower(key: str) -> None:
    key = PREFIX + key
    if settings.REDIS_URL:
        _redis().delete(key)
    else:
        cache.delete(key)


_local_windows: dict[str, int] = {}
_local_lock = threading.Lock()


def throttle(key: str, amount: int, *, per_second: int) -> None:
    """Wait until `amount` more units fit in the current one-second window of `key`, shared
    by every process (a sender's segments per second). Something larger than a whole
    second's worth goes alone at the start of a window."""
    while True:
        now = time.time()
        window = f"{PREFIX}{key}:{int(now)}"
        if settings.REDIS_URL:
            pipe = _redis().pipeline(transaction=False)
            pipe.incrby(window, amount)
            pipe.expire(window, 3)
            used, _expiry_set = pipe.execute()
        else:
            with _local_lock:
                if len(_local_windows) > 100:
                    _local_windows.clear()
                used = _local_windows.get(window, 0) + amount
                _local_windows[window] = used
        if used <= per_second or used == amount:
            return
        time.sleep(int(now) + 1 - now)
