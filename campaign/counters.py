"""Counters and flags every process shares: rate limits, and "queued once" flags.

On Redis each is one round trip, through one long-lived client (Django's cache opens a new
client object on every call, and a rate limit through it takes two round trips). On the
embedded default, the in-process cache stands in.
"""

import threading
import time
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import cache

PREFIX = "terrain:"


def _redis():
    return _client(settings.REDIS_URL)


@memoize
def _client(url: str):
    """One client per URL, kept for the process's life."""
    return redis.Redis.from_url(url)


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


# Each caller books the next free slot of the key's schedule (the time the previous booking
# ends), spaced by amount / rate seconds, and is told how long to wait for it: a steady rate
# with no burst at window edges. Redis's clock serves every process.
_BOOK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < now then free = now end
local after = free + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(after), 'PX', math.ceil((after - now) * 1000) + 1000)
return tostring(free - now)
"""
_local_free: dict[str, float] = {}
_local_lock = threading.Lock()


def book(key: str, amount: float, *, per_second: float) -> float:
    """Book the next `amount` units of `key`'s schedule; returns the seconds to wait until
    they start (0 when free now). Shared by every process."""
    cost = amount / per_second
    if settings.REDIS_URL:
        return max(0.0, float(_redis().eval(_BOOK, 1, PREFIX + key, repr(cost))))
    with _local_lock:
        now = time.monotonic()
        free = max(_local_free.get(key, 0.0), now)
        _local_free[key] = free + cost
        return free - now


def throttle(key: str, amount: int, *, per_second: int) -> None:
    """Wait for this `amount` of units (a text's segments) to fit in `per_second`, shared by
    every process using `key`."""
    wait = book(key, amount, per_second=per_second)
    if wait > 0:
        time.sleep(wait)
