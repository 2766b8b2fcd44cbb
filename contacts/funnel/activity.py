"""Activity over time on the dashboard: each app's plugin gives the figures it counts per day
(signatures, doors knocked, texts, gifts…), for the whole campaign or for some people."""

from datetime import date, timedelta

from django.db.models import Count, QuerySet, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from contacts.plugins import ActivityMetric, installed

from .models import FunnelEntry
from .tally import start_of


def per_day(
    metric: ActivityMetric,
    first: date | None,
    last: date,
    people: QuerySet | list[int] | None = None,
    *,
    by_area: bool = False,
) -> dict:
    """`metric` as {day: (count, cents)} from `first` (None: the beginning) to `last`, for
    `people` (None: everyone); with `by_area`, keyed (day, insee_code, postal_code) by where
    the person lives ("" for rows without a person, such as a door nobody opened)."""
    return counted_per_day(
        metric.rows(),
        moment=metric.moment,
        first=first,
        last=last,
        people=people,
        amount=metric.amount() if metric.amount else None,
        by_area=by_area,
    )


def metrics() -> list[ActivityMetric]:
    """Every installed plugin's figures, in the dashboard's order."""
    found = [metric for plugin in installed() for metric in plugin.activity_metrics()]
    return sorted(found, key=lambda m: (m.order, m.key))


def funnel_entries() -> QuerySet:
    """New contacts per day: the funnel's entries, by when the person was first known."""
    return FunnelEntry.objects.all()


def counted_per_day(
    rows: QuerySet,
    *,
    moment: str,
    first: date | None,
    last: date,
    people: QuerySet | list[int] | None,
    amount=None,
    by_area: bool = False,
) -> dict:
    """Rows of `rows` per local day of their `moment` field (a date or a date and time),
    between `first` and `last`, of `people` when given; with the sum of `amount`. With
    `by_area`, per day and the person's commune and postal code."""
    field = rows.model._meta.get_field(moment)
    is_date = field.get_internal_type() == "DateField"
    if is_date:
        rows = rows.filter(**{f"{moment}__lte": last})
        if first is not None:
            rows = rows.filter(**{f"{moment}__gte": first})
        day = moment
    else:
        rows = rows.filter(**{f"{moment}__lt": start_of(last + timedelta(days=1))})
        if first is not None:
            rows = rows.filter(**{f"{moment}__gte": start_of(first)})
        rows = rows.annotate(_day=TruncDate(moment, tzinfo=timezone.get_current_timezone()))
        day = "_day"
    if people is not None:  # a query of contacts, or a list of their ids
        ids = people.values("pk") if isinstance(people, QuerySet) else people
        rows = rows.filter(contact_id__in=ids)
    keys = [day, "contact__insee_code", "contact__postal_code"] if by_area else [day]
    grouped = rows.values(*keys).annotate(
        _n=Count("pk"), _cents=Sum(amount) if amount is not None else Value(0)
    )
    if by_area:
        return {
            (row[day], row["contact__insee_code"] or "", row["contact__postal_code"] or ""): (
                row["_n"],
                row["_cents"] or 0,
            )
            for row in grouped.order_by()
        }
    return {row[day]: (row["_n"], row["_cents"] or 0) for row in grouped.order_by()}
