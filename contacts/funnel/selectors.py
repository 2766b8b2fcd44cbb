"""Reading the funnel for the dashboard, in a fixed number of queries however large the data.

The whole campaign, communes and postal codes are read from the summary tables (their
rows for everyone, or for the areas of the territories shown). A polling station, which
the tables do not split by, is counted from the entries of the people there.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, Sum
from django.utils import timezone

from campaign.models import Territory, User

from ..models import Source
from ..scope import contacts_visible_to, territories_visible_to, territory_q
from .activity import metrics, per_day
from .models import (
    ALL,
    ActivityDay,
    FunnelCohort,
    FunnelDay,
    FunnelEntry,
    FunnelGap,
    FunnelState,
)
from .stages import COHORT_WEEKS, DEFINITIONS, Stage
from .tally import PAIRS, Summary, Tally, local_day, median_days, start_of, week_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STAGES = list(Stage)
EARLIEST = date(2000, 1, 3)  # a Monday before any campaign data
MAX_SOURCES = 15


@dataclass
class Period:
    first: date | None  # None: since the beginning
    last: date

    @property
    def first_or_earliest(self) -> date:
        return self.first or EARLIEST


@dataclass
class StageRow:
    stage: Stage
    count: int
    share: float | None  # of the people acquired
    conversion: float | None  # of the people at the stage before, who reached this one
    median_days: float | None  # from the stage before, for those who reached both

    @property
    def label(self) -> "StrOrPromise":
        return self.stage.label

    @property
    def definition(self) -> "StrOrPromise":
        return DEFINITIONS[self.stage]


@dataclass
class SourceRow:
    key: str
    label: str
    acquired: int
    reached: list[tuple[int, float | None]]  # stages 2…6: (people, share of acquired)


@dataclass
class CohortRow:
    week: date
    size: int
    shares: list[float | None]  # within 1, 2, 4, 8 weeks (None: not that old yet)
    ever: float | None


@dataclass
class ActivityRow:
    key: str
    label: str
    money: bool
    buckets: list[tuple[date, int, int]]  # (start, count, cents)

    @property
    def total(self) -> int:
        return sum(n for _d, n, _c in self.buckets)

    @property
    def total_cents(self) -> int:
        return sum(c for _d, _n, c in self.buckets)


@dataclass
class Dashboard:
    period: Period
    live: bool
    as_of: datetime | None
    stages: list[StageRow]
    sources: list[SourceRow]
    cohorts: list[CohortRow]
    cohort_stage: Stage
    activity: list[ActivityRow]
    bucket: str  # day, week or month
    territory: Territory | None = None


def source_label(key: str) -> str:
    source, _sep, detail = key.partition(":")
    try:
        name = str(Source(source).label)
    except ValueError:
        name = source
    return f"{name} · {detail}" if detail else name


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# The summary tables --------------------------------------------------------------------


EVERYONE_Q = Q(insee_code=ALL, postal_code=ALL)


def area_q(territories: list[Territory]) -> Q | None:
    """The summary rows of the people in these territories; None when one of them is a
    polling station."""
    if any(t.kind == Territory.Kind.BUREAU for t in territories):
        return None
    communes = [t.code for t in territories if t.kind == Territory.Kind.COMMUNE]
    postal_codes = [t.code for t in territories if t.kind == Territory.Kind.POSTAL_CODE]
    if not communes and not postal_codes:
        return Q(pk__in=[])
    return Q(insee_code__in=communes) | Q(postal_code__in=postal_codes)


def _summary_from_tables(period: Period, area: Q) -> Summary:
    summary = Summary()
    days = FunnelDay.objects.filter(area, day__lte=period.last)
    cohorts = FunnelCohort.objects.filter(area, week__lte=week_of(period.last))
    gaps = FunnelGap.objects.filter(area, week__lte=week_of(period.last))
    if period.first:
        days = days.filter(day__gte=period.first)
        cohorts = cohorts.filter(week__gte=week_of(period.first))
        gaps = gaps.filter(week__gte=week_of(period.first))
    sums = {name: Sum(name) for name in Tally.DAY_FIELDS}
    for row in days.values("source_key").annotate(**{f"s_{k}": v for k, v in sums.items()}):
        summary.add_source(row["source_key"], [row[f"s_{k}"] for k in Tally.DAY_FIELDS])
    cohort_sums = {f"s_{k}": Sum(k) for k in Tally.COHORT_FIELDS}
    for row in cohorts.values("week", "stage").annotate(**cohort_sums):
        summary.add_cohort(row["week"], row["stage"], [row[k] for k in cohort_sums])
    for stage, days_, people in (
        gaps.values("stage", "days").annotate(n=Sum("people")).values_list("stage", "days", "n")
    ):
        summary.gaps.setdefault(stage, Counter())[days_] = people
    return summary


def _activity_from_tables(period: Period, area: Q) -> dict[str, dict[date, tuple[int, int]]]:
    rows = ActivityDay.objects.filter(area, day__lte=period.last)
    if period.first:
        rows = rows.filter(day__gte=period.first)
    totals = rows.values("metric", "day").annotate(n=Sum("count"), cents=Sum("amount_cents"))
    found: dict[str, dict[date, tuple[int, int]]] = {}
    for metric, day, count, cents in totals.values_list("metric", "day", "n", "cents"):
        found.setdefault(metric, {})[day] = (count, cents)
    return found


# A polling station: the people's entries, counted as they are read ----------------------


# Up to this many people (a few polling stations) are read once and passed as a list, which
# the database joins faster than the same subquery in each of the page's queries.
PEOPLE_AS_LIST = 20_000


def _people(user: User, territory: Territory | None):
    people = contacts_visible_to(user)
    if territory is not None:
        people = people.filter(territory_q([territory]))
    ids = list(people.values_list("pk", flat=True)[: PEOPLE_AS_LIST + 1])
    if len(ids) <= PEOPLE_AS_LIST:
        return ids
    return people


def _summary_live(period: Period, people) -> Summary:
    start = start_of(week_of(period.first_or_earliest))
    end = start_of(week_of(period.last) + timedelta(days=7))
    entries = FunnelEntry.objects.filter(
        contact_id__in=people, acquired_at__gte=start, acquired_at__lt=end
    )
    tally = Tally(by_area=False)
    tally.add_rows(
        entries.values_list(
            "source_key",
            "contact__insee_code",
            "contact__postal_code",
            "acquired_at",
            "reachable_at",
            "engaged_at",
            "donor_at",
            "volunteer_at",
            "activist_at",
        ).iterator(chunk_size=20_000)
    )
    return Summary.from_tally(tally, period.first_or_earliest, period.last)


def _activity_live(period: Period, people) -> dict[str, dict[date, tuple[int, int]]]:
    return {m.key: per_day(m, period.first, period.last, people) for m in metrics()}


# Shaping what was counted ------------------------------------------------------------------


def _stage_rows(summary: Summary) -> list[StageRow]:
    totals = summary.totals
    acquired = totals[0]
    rows = []
    for index, stage in enumerate(STAGES):
        conversion = None
        if index >= 1:
            before = totals[index - 1]
            both = (
                totals[index] if index == 1 else totals[6 + PAIRS.index((STAGES[index - 1], stage))]
            )
            conversion = _share(both, before)
        rows.append(
            StageRow(
                stage=stage,
                count=totals[index],
                share=_share(totals[index], acquired),
                conversion=conversion,
                median_days=median_days(summary.gaps.get(int(stage), Counter()))
                if index >= 1
                else None,
            )
        )
    return rows


def _source_rows(summary: Summary) -> list[SourceRow]:
    ordered = sorted(summary.by_source.items(), key=lambda item: (-item[1][0], item[0]))
    shown, rest = ordered[:MAX_SOURCES], ordered[MAX_SOURCES:]
    if rest:
        other = [sum(counts[i] for _k, counts in rest) for i in range(10)]
        shown.append(("", other))
    rows = []
    for key, counts in shown:
        rows.append(
            SourceRow(
                key=key,
                label=source_label(key) if key else "",
                acquired=counts[0],
                reached=[(counts[i], _share(counts[i], counts[0])) for i in range(1, 6)],
            )
        )
    return rows


def _cohort_rows(summary: Summary, stage: Stage, today: date) -> list[CohortRow]:
    weeks = sorted(summary.cohorts, reverse=True)[:12]
    rows = []
    for week in weeks:
        size = summary.cohorts[week].get(int(Stage.ACQUIRED), [0] * 5)[0]
        counts = summary.cohorts[week].get(int(stage), [0] * 5)
        shares = []
        for i, weeks_after in enumerate(COHORT_WEEKS, start=1):
            old_enough = week + timedelta(weeks=weeks_after) <= today + timedelta(days=1)
            shares.append(_share(counts[i], size) if old_enough else None)
        rows.append(CohortRow(week=week, size=size, shares=shares, ever=_share(counts[0], size)))
    return rows


def _bucket_of(period: Period, first_seen: date | None) -> tuple[str, date]:
    """Days for a month or less, weeks up to 40 of them, months beyond; and the first one."""
    first = period.first or first_seen or period.last
    span = (period.last - first).days
    bucket = "day" if span <= 31 else "week" if span <= 7 * 40 else "month"
    return bucket, _bucket_start(first, bucket)


def _bucket_start(day: date, bucket: str) -> date:
    if bucket == "day":
        return day
    if bucket == "week":
        return week_of(day)
    return day.replace(day=1)


def _next_bucket(day: date, bucket: str) -> date:
    if bucket == "day":
        return day + timedelta(days=1)
    if bucket == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _activity_rows(
    found: dict[str, dict[date, tuple[int, int]]], period: Period
) -> tuple[str, list[ActivityRow]]:
    seen = [day for per_day in found.values() for day in per_day]
    bucket, start = _bucket_of(period, min(seen) if seen else None)
    starts: list[date] = []
    cursor = start
    while cursor <= period.last and len(starts) < 400:
        starts.append(cursor)
        cursor = _next_bucket(cursor, bucket)
    rows = []
    for metric in metrics():
        sums = {s: [0, 0] for s in starts}
        for day, (count, cents) in found.get(metric.key, {}).items():
            key = _bucket_start(day, bucket)
            if key in sums:
                sums[key][0] += count
                sums[key][1] += cents
        rows.append(
            ActivityRow(
                key=metric.key,
                label=str(metric.label),
                money=metric.money,
                buckets=[(s, sums[s][0], sums[s][1]) for s in starts],
            )
        )
    return bucket, rows


def funnel_dashboard(
    *,
    user: User,
    period: Period,
    territory: Territory | None = None,
    cohort_stage: Stage = Stage.ENGAGED,
) -> Dashboard:
    """The ladder, its sources, its weekly cohorts and the activity, for people acquired in
    `period` that `user` may see (in `territory` when given)."""
    area: Q | None  # None: no table covers it, count live
    if territory is None and user.is_admin:
        area = EVERYONE_Q
    else:
        area = area_q([territory] if territory else list(territories_visible_to(user)))
    live = area is None
    as_of: datetime | None
    if area is None:
        people = _people(user, territory)
        summary = _summary_live(period, people)
        found = _activity_live(period, people)
        as_of = timezone.now()
    else:
        summary = _summary_from_tables(period, area)
        found = _activity_from_tables(period, area)
        as_of = FunnelState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    bucket, activity = _activity_rows(found, period)
    return Dashboard(
        period=period,
        live=live,
        as_of=as_of,
        stages=_stage_rows(summary),
        sources=_source_rows(summary),
        cohorts=_cohort_rows(summary, cohort_stage, local_day(timezone.now())),
        cohort_stage=cohort_stage,
        activity=activity,
        bucket=bucket,
        territory=territory,
    )
