"""Quiet hours: no text leaves at night (Europe/Paris), for blasts and texting campaigns
alike; the defaults come from SMS_QUIET_HOURS."""

from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings

from ..models import Blast, P2PCampaign

PARIS = ZoneInfo("Europe/Paris")


def default_quiet_hours() -> tuple[clock, clock]:
    if not settings.SMS_QUIET_HOURS:
        return clock(0, 0), clock(0, 0)
    start, end = settings.SMS_QUIET_HOURS.split("-")
    return clock.fromisoformat(start), clock.fromisoformat(end)


def quiet_until(blast: Blast | P2PCampaign, now: datetime) -> datetime | None:
    """The end of the blast's (or texting campaign's) quiet hours if `now` falls in them (Europe/Paris), else None."""
    start, end = blast.quiet_start, blast.quiet_end
    if start == end:
        return None
    local = now.astimezone(PARIS)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=PARIS)


def quiet_begins(blast: Blast | P2PCampaign, now: datetime) -> datetime | None:
    """When the next quiet window begins (`now` if it has begun), or None without one: no
    text may leave from that instant, whatever was claimed or booked before it."""
    start, end = blast.quiet_start, blast.quiet_end
    if start == end:
        return None
    if quiet_until(blast, now) is not None:
        return now
    local = now.astimezone(PARIS)
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return datetime.combine(day, start, tzinfo=PARIS)
