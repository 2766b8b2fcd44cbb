"""What every OSDI resource shares: HAL+JSON, links, identifiers, paging with `page` and
`per_page`, and the `filter` parameter (`modified_date gt '2026-01-01'`)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from campaign.http import AuthenticatedRequest
from campaign.ownership import get_in_scope_or_404

from .auth import ApiTokenAuthentication, TokenRateThrottle
from .permissions import StaffOnly

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

NAMESPACE = "terrain"
OSDI_VERSION = "1.2"
MAX_PAGESIZE = 100
DEFAULT_PAGESIZE = 25
MAX_PAGE_NUMBER = 999_999_999
CURIES = [
    {"name": "osdi", "href": "http://opensupporter.github.io/osdi-docs/{rel}", "templated": True}
]


class HalJsonRenderer(JSONRenderer):
    media_type = "application/hal+json"
    format = "hal"


class HalJsonParser(JSONParser):
    media_type = "application/hal+json"


class OsdiApiMixin:
    """Authentication, permission, throttling and content types of the public API's views."""

    access_rule = "api"
    authentication_classes: Sequence[type[BaseAuthentication]] = [
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    # A view open to more people names another (permissions.py).
    permission_classes: "Sequence[_PermissionClass]" = [StaffOnly]
    throttle_classes: Sequence[type[BaseThrottle]] = [TokenRateThrottle]
    renderer_classes: Sequence[type[BaseRenderer]] = [HalJsonRenderer, JSONRenderer]
    parser_classes: Sequence[type[BaseParser]] = [HalJsonParser, JSONParser]


def identifier(uuid) -> str:
    return f"{NAMESPACE}:{uuid}"


def link(request: Request, path: str, **query) -> dict:
    url = request.build_absolute_uri(path)
    if query:
        url += "?" + urlencode({k: v for k, v in query.items() if v not in (None, "")})
    return {"href": url}


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total_pages: int
    total_records: int


def page_asked(request: Request) -> tuple[int, int]:
    """The `page` (from 1) and `per_page` (at most MAX_PAGESIZE) a request asks for; a 400
    for anything else, before any object is looked up."""

    def number(name: str, default: int) -> int:
        raw = request.query_params.get(name, "")
        if raw == "":
            return default
        # ASCII digits only (str.isdigit takes "²", which int() refuses), and a bound far
        # past any page there can be, so that no offset overflows the database's integers.
        if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
            raise ParseError(f"{name} must be a whole number from 1 to {MAX_PAGE_NUMBER}.")
        return int(raw)

    return number("page", 1), min(number("per_page", DEFAULT_PAGESIZE), MAX_PAGESIZE)


def paginate(request: Request, rows: QuerySet) -> Page:
    """The `page` (from 1) of `per_page` rows (at most MAX_PAGESIZE). A page past the end is
    empty, not an error, so that a client can stop on an empty page."""
    page, per_page = page_asked(request)
    paginator = Paginator(rows, per_page)
    total = paginator.count
    try:
        items = list(paginator.page(page).object_list)
    except EmptyPage:
        items = []
    return Page(
        items=items,
        page=page,
        per_page=per_page,
        total_pages=max(paginator.num_pages, 1) if total else 0,
        total_records=total,
    )


def collection(request: Request, path: str, name: str, page: Page, embedded: list) -> dict:
    """A page of a collection in OSDI's shape: counts, links to each item and the next and
    previous pages, and the items under _embedded["osdi:<name>"]."""
    query = {k: v for k, v in request.query_params.items() if k not in ("page", "per_page")}
    links = {
        "self": link(request, path, **query, page=page.page, per_page=page.per_page),
        f"osdi:{name}": [item["_links"]["self"] for item in embedded],
        "curies": CURIES,
    }
    if page.page < page.total_pages:
        links["next"] = link(request, path, **query, page=page.page + 1, per_page=page.per_page)
    if 1 < page.page <= page.total_pages:
        links["prev"] = link(request, path, **query, page=page.page - 1, per_page=page.per_page)
    return {
        "total_pages": page.total_pages,
        "per_page": page.per_page,
        "page": page.page,
        "total_records": page.total_records,
        "_links": links,
        "_embedded": {f"osdi:{name}": embedded},
    }


# The filter parameter -----------------------------------------------------------------------

_CONDITION = re.compile(r"\s*([a-z_]+)\s+(eq|gt|lt|ge|le|ne)\s+'((?:[^']|'')*)'\s*", re.I)
OPERATORS = {"eq": "exact", "gt": "gt", "lt": "lt", "ge": "gte", "le": "lte"}


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str  # eq, gt, lt, ge, le
    value: str


def parse_filter(text: str, allowed: dict[str, set[str]]) -> list[Condition]:
    """`field op 'value'` conditions joined by `and`; `allowed` maps each field to its
    operators. Anything else is a 400 that says what is understood."""
    conditions: list[Condition] = []
    if not text.strip():
        return conditions
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        match = _CONDITION.fullmatch(part)
        if not match:
            raise ParseError(
                f"Cannot read the filter {part!r}: write field op 'value', e.g. "
                "modified_date gt '2026-01-01'."
            )
        field, operator, value = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if field not in allowed:
            raise ParseError(f"Cannot filter on {field}: only on {', '.join(sorted(allowed))}.")
        if operator not in allowed[field]:
            raise ParseError(f"{field} takes {', '.join(sorted(allowed[field]))}, not {operator}.")
        conditions.append(Condition(field, operator, value.replace("''", "'")))
    return conditions


FILTER_YEARS = (1900, 2999)  # the moments a contact may have been created or changed at


def filter_moment(value: str) -> datetime:
    """A date or a date and time of a filter, as an aware datetime (a date is its midnight,
    in the campaign's time zone). One that does not exist (2026-02-31, 25:00, an offset of
    99 hours) or lies outside FILTER_YEARS is a 400, not an overflow in the database."""
    wrong = ParseError(
        f"Not a date: {value!r} (write 2026-01-31 or 2026-01-31T12:00:00Z, "
        f"years {FILTER_YEARS[0]} to {FILTER_YEARS[1]})."
    )
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise wrong
            moment = datetime.combine(day, time.min)
        if not FILTER_YEARS[0] <= moment.year <= FILTER_YEARS[1]:
            raise wrong
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # a day or an hour that does not exist
        raise wrong from None


# Views ----------------------------------------------------------------------------------------


PAGING = [
    OpenApiParameter("page", int, description="From 1; a page past the end is empty."),
    OpenApiParameter("per_page", int, description=f"At most {MAX_PAGESIZE} (default 25)."),
]


class CollectionApi(OsdiApiMixin, APIView):
    """GET a collection: `rows()` a page at a time, each in `shape()`, under
    _embedded["osdi:<name>"]. Subclasses say what, and which route names it."""

    name = ""
    # Methods take an AuthenticatedRequest: StaffOnly lets no anonymous caller in, and the
    # collections open to the Public read no user.

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet:
        raise NotImplementedError

    def shape(self, request: AuthenticatedRequest, row) -> dict:
        raise NotImplementedError

    @extend_schema(parameters=PAGING, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: AuthenticatedRequest, **kwargs) -> Response:
        page_asked(request)  # bad paging is a 400 whatever the URL names
        page = paginate(request, self.rows(request, **kwargs))
        embedded = [self.shape(request, row) for row in page.items]
        if embedded:
            self.shown(request, len(embedded))
        return Response(collection(request, request.path, self.name, page, embedded))

    def shown(self, request: AuthenticatedRequest, count: int) -> None:
        """After a page of `count` items is built: where an audit row is due, write it."""


class ItemApi(OsdiApiMixin, APIView):
    """GET one resource of `rows()` by its key in the URL; 404 for what the caller may not see."""

    lookup = "pk"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet:
        raise NotImplementedError

    def shape(self, request: AuthenticatedRequest, row) -> dict:
        raise NotImplementedError

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: AuthenticatedRequest, **kwargs) -> Response:
        row = get_in_scope_or_404(
            self.rows(request, **kwargs), **{self.lookup: kwargs[self.lookup]}
        )
        return Response(self.shape(request, row))
