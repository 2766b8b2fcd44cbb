"""The funnel's summary tables (cohorts, gaps, days of activity), brought up to date from
the entries whose weeks were marked dirty: the work of the funnel's task."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from campaign.bulk import copy_model_rows
from campaign.locks import transaction_lock

from .activity import metrics, per_day
from .models import (
    ALL,
    ActivityDay,
    FunnelCohort,
    FunnelDay,
    FunnelDirty,
    FunnelEntry,
    FunnelGap,
    FunnelState,
)
from .stages import FIELDS
from .tally import Tally, local_day, start_of

# Activity of the last days is recounted on each refresh; all of it once a day.
ACTIVITY_RECENT_DAYS = 8


def weeks_of(entries: QuerySet) -> set[date]:
    """The weeks of acquisition of these entries (those a change makes to count again)."""
    weeks = entries.annotate(week=TruncWeek("acquired_at")).values_list("week", flat=True)
    return {_as_date(week) for week in weeks.distinct().order_by()}


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


ENTRY_COLUMNS = ["source_key", "contact__insee_code", "contact__postal_code", *FIELDS.values()]


def _tally_weeks(weeks: set[date]) -> Tally:
    tally = Tally()
    ordered = sorted(weeks)
    # Contiguous weeks are read as one range.
    spans: list[list[date]] = []
    for week in ordered:
        if spans and week - spans[-1][-1] == timedelta(days=7):
            spans[-1].append(week)
        else:
            spans.append([week])
    for span in spans:
        start, end = start_of(span[0]), start_of(span[-1] + timedelta(days=7))
        rows = FunnelEntry.objects.filter(acquired_at__gte=start, acquired_at__lt=end)
        tally.add_rows(rows.values_list(*ENTRY_COLUMNS).iterator(chunk_size=20_000))
    return tally


def _save_tally(weeks: set[date], tally: Tally) -> None:
    weeks_list = sorted(weeks)
    for start in range(0, len(weeks_list), 200):
        chunk = weeks_list[start : start + 200]
        FunnelCohort.objects.filter(week__in=chunk).delete()
        FunnelGap.objects.filter(week__in=chunk).delete()
        days = [w + timedelta(days=d) for w in chunk for d in range(7)]
        FunnelDay.objects.filter(day__in=days).delete()
    area = ["insee_code", "postal_code"]
    copy_model_rows(
        FunnelDay,
        [*area, "day", "source_key", *Tally.DAY_FIELDS],
        ([*where, day, source, *counts] for (where, day, source), counts in tally.days.items()),
    )
    copy_model_rows(
        FunnelCohort,
        [*area, "week", "stage", *Tally.COHORT_FIELDS],
        ([*where, week, stage, *counts] for (where, week, stage), counts in tally.cohorts.items()),
    )
    copy_model_rows(
        FunnelGap,
        [*area, "week", "stage", "days", "people"],
        ([*where, week, stage, days, n] for (where, week, stage, days), n in tally.gaps.items()),
    )


def _activity_refresh(first_day: date | None, last_day: date) -> None:
    rows = []
    for metric in metrics():
        everyone: dict[date, list[int]] = {}
        per_area = per_day(metric, first_day, last_day, by_area=True)
        for (day, insee, postal), (count, cents) in per_area.items():
            rows.append((insee, postal, day, metric.key, count, cents))
            total = everyone.setdefault(day, [0, 0])
            total[0] += count
            total[1] += cents
        rows += [(ALL, ALL, day, metric.key, n, cents) for day, (n, cents) in everyone.items()]
    stale = ActivityDay.objects.filter(day__lte=last_day)
    if first_day is not None:
        stale = stale.filter(day__gte=first_day)
    stale.delete()
    copy_model_rows(
        ActivityDay, ["insee_code", "postal_code", "day", "metric", "count", "amount_cents"], rows
    )


@transaction.atomic
def funnel_refresh(*, full: bool = False) -> dict:
    """Bring the summary tables up to date: the weeks marked dirty by changes, and the
    activity of the last days. Once a day (or when `full`) everything is recounted, which
    also takes in people deleted and activity recorded late."""
    transaction_lock("contacts.funnel_refresh")
    state, _created = FunnelState.objects.select_for_update().get_or_create(pk=1)
    started = timezone.now()
    whole = full or not state.full_at or started - state.full_at > timedelta(days=1)
    dirty = list(FunnelDirty.objects.values_list("pk", "week"))
    if whole:
        FunnelDay.objects.all().delete()
        FunnelCohort.objects.all().delete()
        FunnelGap.objects.all().delete()
        weeks = weeks_of(FunnelEntry.objects.all())
    else:
        weeks = {week for _pk, week in dirty}
    if weeks:
        _save_tally(weeks, _tally_weeks(weeks))
    today = local_day(started)
    first_day = None if whole else today - timedelta(days=ACTIVITY_RECENT_DAYS)
    _activity_refresh(first_day, today)
    if whole:
        state.full_at = started
    state.refreshed_at = started
    state.save()
    ids = [pk for pk, _week in dirty]
    for start in range(0, len(ids), 5_000):
        FunnelDirty.objects.filter(pk__in=ids[start : start + 5_000]).delete()
    return {"weeks": len(weeks), "whole": whole}
