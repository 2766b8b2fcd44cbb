"""Pagination that stays fast at a million rows: no COUNT(*) over the whole table per page."""

from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db import connection
from django.db.models import QuerySet


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    has_next: bool
    total: int | None  # exact when small, else None (see total_is_estimate)
    total_estimate: int | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.items) - 1 if self.items else 0


# Past any list Terrain shows (fifty million rows at 50 a page); a larger number would only
# overflow the database's OFFSET (a 500) or make it skip rows for nothing.
MAX_PAGE = 1_000_000


def page_number(request) -> int:
    """The ?page= of a request: 1 when missing or not a whole number ("abc", "-1", "²": a
    link typed by hand, the first page is the useful answer); BadRequest (a 400) for a number
    past MAX_PAGE, which only a hostile or broken link carries."""
    raw = request.GET.get("page", "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > len(str(MAX_PAGE)) or int(raw) > MAX_PAGE:
        raise BadRequest(f"page must be at most {MAX_PAGE}")
    return max(1, int(raw))


def page_of(
    queryset: QuerySet, *, number: int, per_page: int = 50, count_cap: int = 10_000
) -> Page:
    """One page of `queryset`, fetched with one extra row to know whether a next page exists.

    The total is counted only up to `count_cap` rows (a bounded scan); past that the
    page says "more than N", which is what a person needs to know anyway.
    """
    number = min(max(1, number), MAX_PAGE)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    has_next = len(rows) > per_page
    items = rows[:per_page]
    total: int | None
    if number == 1 and not has_next:
        total = len(items)
    else:
        total = count_capped(queryset, cap=count_cap)
    return Page(items=items, number=number, per_page=per_page, has_next=has_next, total=total)


def count_capped(queryset: QuerySet, *, cap: int) -> int | None:
    """The number of rows if it is at most `cap`, else None. Costs at most `cap` rows read."""
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return n if n <= cap else None


def table_estimate(model) -> int | None:
    """PostgreSQL's planner estimate of a table's row count (free), None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] and row[0] > 0 else None
