"""Counting people on the ladder from their entries: by day of acquisition and source, by
weekly cohort, and the time between stages, for everyone and for each area (commune and
postal code). The same counting fills the summary tables and answers directly for a
territory the tables cannot (polling stations)."""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings

from .models import ALL
from .stages import COHORT_WEEKS, Stage

STAGES = list(Stage)
# Consecutive pairs (weaker, stronger) whose joint count gives the conversion between them.
PAIRS = list(zip(STAGES[1:-1], STAGES[2:], strict=True))
DAY = 86_400
EVERYONE = (ALL, ALL)


@lru_cache(maxsize=1)
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    return moment.astimezone(_zone()).date()


def start_of(day: date) -> datetime:
    """Midnight at the start of `day`, in the campaign's time zone."""
    return datetime(day.year, day.month, day.day, tzinfo=_zone())


def week_of(day: date) -> date:
    """The Monday of the week `day` is in."""
    return day - timedelta(days=day.weekday())


def gap_days(seconds: float) -> int:
    """Time between two stages, kept to the day under two weeks, to the week under eight
    weeks, to four weeks under a year: the first day of its span."""
    days = max(int(seconds // DAY), 0)
    if days < 14:
        return days
    if days < 56:
        return days - (days - 14) % 7
    if days < 364:
        return days - (days - 56) % 28
    return 364


class Tally:
    """Counts from rows of (source_key, insee_code, postal_code, acquired_at, reachable_at,
    …, activist_at): per area, and for everyone under EVERYONE."""

    DAY_FIELDS = [
        "acquired",
        "reachable",
        "engaged",
        "donor",
        "volunteer",
        "activist",
        "reachable_engaged",
        "engaged_donor",
        "donor_volunteer",
        "volunteer_activist",
    ]
    COHORT_FIELDS = ["reached", *(f"within_{w}" for w in COHORT_WEEKS)]

    def __init__(self, *, by_area: bool = True) -> None:
        self.by_area = by_area
        # (area, day, source) → counts in DAY_FIELDS order
        self.days: dict[tuple, list[int]] = defaultdict(lambda: [0] * 10)
        # (area, week, stage) → counts in COHORT_FIELDS order
        self.cohorts: dict[tuple, list[int]] = defaultdict(lambda: [0] * (1 + len(COHORT_WEEKS)))
        # (area, week, stage, days) → people
        self.gaps: Counter = Counter()

    def add_rows(self, rows: Iterable[tuple]) -> None:
        windows = [timedelta(weeks=w) for w in COHORT_WEEKS]
        zone = _zone()
        for source, insee, postal, *times in rows:
            acquired = times[0]
            day = acquired.astimezone(zone).date()
            week = day - timedelta(days=day.weekday())
            areas = [EVERYONE]
            if self.by_area:
                areas.append((insee or "", postal or ""))
            reached = []
            for index, moment in enumerate(times):
                if moment is None:
                    continue
                delay = moment - acquired
                within = [delay < window for window in windows]
                gap = None
                if index >= 1 and times[index - 1] is not None:
                    gap = gap_days((moment - times[index - 1]).total_seconds())
                reached.append((index, within, gap))
            pairs = [
                6 + p
                for p, (weaker, stronger) in enumerate(PAIRS)
                if times[weaker - 1] is not None and times[stronger - 1] is not None
            ]
            for area in areas:
                counts = self.days[(area, day, source)]
                for index, within, gap in reached:
                    counts[index] += 1
                    cohort = self.cohorts[(area, week, index + 1)]
                    cohort[0] += 1
                    for w, inside in enumerate(within, start=1):
                        if inside:
                            cohort[w] += 1
                    if gap is not None:
                        self.gaps[(area, week, index + 1, gap)] += 1
                for p in pairs:
                    counts[p] += 1


@dataclass
class Summary:
    """What the dashboard shows about the ladder, for one range of days and one scope."""

    # source_key → counts in Tally.DAY_FIELDS order, for people acquired in the range
    by_source: dict[str, list[int]] = field(default_factory=dict)
    # week → stage → counts in Tally.COHORT_FIELDS order
    cohorts: dict[date, dict[int, list[int]]] = field(default_factory=dict)
    # stage → days → people who went from the stage before to this one in that many days
    gaps: dict[int, Counter] = field(default_factory=dict)

    def add_source(self, source: str, counts) -> None:
        mine = self.by_source.setdefault(source, [0] * 10)
        for i, n in enumerate(counts):
            mine[i] += n or 0

    def add_cohort(self, week: date, stage: int, counts) -> None:
        mine = self.cohorts.setdefault(week, {}).setdefault(stage, [0] * (1 + len(COHORT_WEEKS)))
        for i, n in enumerate(counts):
            mine[i] += n or 0

    @classmethod
    def from_tally(cls, tally: Tally, first: date, last: date) -> "Summary":
        summary = cls()
        for (area, day, source), counts in tally.days.items():
            if area == EVERYONE and first <= day <= last:
                summary.add_source(source, counts)
        for (area, week, stage), counts in tally.cohorts.items():
            if area == EVERYONE:
                summary.add_cohort(week, stage, counts)
        for (area, _week, stage, days), people in tally.gaps.items():
            if area == EVERYONE:
                summary.gaps.setdefault(stage, Counter())[days] += people
        return summary

    @property
    def totals(self) -> list[int]:
        totals = [0] * 10
        for counts in self.by_source.values():
            for i, n in enumerate(counts):
                totals[i] += n
        return totals


def median_days(histogram: Counter) -> float | None:
    """The median of a {days: people} histogram (between the two middle values for an even
    number of people)."""
    people = sum(histogram.values())
    if not people:
        return None
    days = sorted(histogram)
    seen = list(accumulate(histogram[d] for d in days))  # people up to each number of days
    # The days of the two middle people (one and the same for an odd number of people).
    lower = days[bisect_left(seen, (people + 1) // 2)]
    upper = days[bisect_left(seen, people // 2 + 1)]
    return (lower + upper) / 2
