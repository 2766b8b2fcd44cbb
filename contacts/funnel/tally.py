"""Counting people on the ladder from their entries: by day of acquisition and source, by
weekly cohort, and the days between stages. The same counting fills the summary tables
(whole campaign) and answers a territory's dashboard directly."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

from .stages import COHORT_WEEKS, GAP_DAYS_CAP, Stage

STAGES = list(Stage)
# Consecutive pairs (weaker, stronger) whose joint count gives the conversion between them.
PAIRS = list(zip(STAGES[1:-1], STAGES[2:], strict=True))
DAY = 86_400


@lru_cache(maxsize=1)
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    return moment.astimezone(_zone()).date()


def week_of(day: date) -> date:
    """The Monday of the week `day` is in."""
    return day - timedelta(days=day.weekday())


class Tally:
    """Counts from rows of (source_key, acquired_at, reachable_at, …, activist_at)."""

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

    def __init__(self) -> None:
        self.days: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0] * 10)
        self.cohorts: dict[tuple[date, int], list[int]] = defaultdict(
            lambda: [0] * (1 + len(COHORT_WEEKS))
        )
        self.gaps: Counter = Counter()

    def add_rows(self, rows: Iterable[tuple]) -> None:
        windows = [timedelta(weeks=w) for w in COHORT_WEEKS]
        zone = _zone()
        for source, *times in rows:
            acquired = times[0]
            day = acquired.astimezone(zone).date()
            week = day - timedelta(days=day.weekday())
            counts = self.days[(day, source)]
            for index, moment in enumerate(times):
                if moment is None:
                    continue
                counts[index] += 1
                cohort = self.cohorts[(week, index + 1)]
                cohort[0] += 1
                delay = moment - acquired
                for w, window in enumerate(windows, start=1):
                    if delay < window:
                        cohort[w] += 1
                if index >= 1 and times[index - 1] is not None:
                    days = int((moment - times[index - 1]).total_seconds() // DAY)
                    self.gaps[(week, index + 1, min(max(days, 0), GAP_DAYS_CAP))] += 1
            for p, (weaker, stronger) in enumerate(PAIRS):
                if times[weaker - 1] is not None and times[stronger - 1] is not None:
                    counts[6 + p] += 1


@dataclass
class Summary:
    """What the dashboard shows about the ladder, for one range of days and one scope."""

    # source_key → counts in Tally.DAY_FIELDS order, for people acquired in the range
    by_source: dict[str, list[int]] = field(default_factory=dict)
    # week → stage → counts in Tally.COHORT_FIELDS order
    cohorts: dict[date, dict[int, list[int]]] = field(default_factory=dict)
    # stage → days → people who went from the stage before to this one in that many days
    gaps: dict[int, Counter] = field(default_factory=dict)

    @classmethod
    def from_tally(cls, tally: Tally, first: date, last: date) -> "Summary":
        summary = cls()
        for (day, source), counts in tally.days.items():
            if first <= day <= last:
                mine = summary.by_source.setdefault(source, [0] * 10)
                for i, n in enumerate(counts):
                    mine[i] += n
        for (week, stage), counts in tally.cohorts.items():
            summary.cohorts.setdefault(week, {})[stage] = list(counts)
        for (_week, stage, days), people in tally.gaps.items():
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
    lower_rank, upper_rank = (people + 1) // 2, people // 2 + 1
    lower = upper = None
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if lower is None and seen >= lower_rank:
            lower = days
        if seen >= upper_rank:
            upper = days
            break
    return (lower + upper) / 2
