"""Bad input answers 400 with the reason, never 500: dates that do not exist or overflow in
the database, and page numbers past what an integer holds, on every collection."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter

from campaign.api.osdi import CollectionApi
from campaign.api.tokens import api_token_create

pytestmark = pytest.mark.django_db

IMPOSSIBLE_MOMENTS = [
    "2026-02-31",
    "0001-01-01",
    "2026-01-01T25:00",
    "2026-01-01T10:00:00+99:00",
    "9999-12-31",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+14:00",
]
BAD_PAGING = [
    "page=99999999999999999999",
    "page=" + "9" * 5000,
    "page=²",
    "page=0",
    "page=-1",
    "page=1.5",
    "per_page=²",
    "per_page=99999999999999999999",
    "per_page=0",
]


def collections(*, nested: bool = True) -> list[str]:
    """The URL of every API collection, with an object id where the route names one (none
    exists: the answer must not depend on it)."""

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "view_class", None)
                if view is None or not issubclass(view, CollectionApi):
                    continue
                if nested or not entry.pattern.converters:
                    kwargs = {
                        key: uuid.UUID(int=1) if isinstance(converter, UUIDConverter) else 1
                        for key, converter in entry.pattern.converters.items()
                    }
                    yield reverse(namespace + entry.name, kwargs=kwargs)

    return list(walk(get_resolver().url_patterns))


@pytest.fixture
def staff(admin_user):
    _token, key = api_token_create(user=admin_user, name="tests")
    return Client(raise_request_exception=False, HTTP_OSDI_API_TOKEN=key)


@pytest.mark.parametrize("moment", IMPOSSIBLE_MOMENTS)
def test_a_people_filter_on_a_date_that_cannot_be_answers_400(staff, lyon_contact, moment):
    for operator in ("gt", "lt"):
        response = staff.get("/api/v1/people", {"filter": f"modified_date {operator} '{moment}'"})

        assert response.status_code == 400, (operator, response.status_code)
        assert "Not a date" in response.json()["detail"]


def test_a_people_filter_on_a_real_date_still_filters(staff, lyon_contact):
    since = staff.get("/api/v1/people", {"filter": "created_date gt '2000-01-01T00:00:00+14:00'"})
    before = staff.get("/api/v1/people", {"filter": "created_date lt '1999-12-31'"})

    assert since.json()["total_records"] == 1
    assert before.json()["total_records"] == 0


@pytest.mark.parametrize("query", BAD_PAGING, ids=lambda q: q[:30])
def test_bad_paging_answers_400_on_every_collection(staff, lyon_contact, query):
    urls = collections()
    assert len(urls) >= 10
    for url in urls:
        response = staff.get(f"{url}?{query}")

        assert response.status_code == 400, (url, response.status_code)


def test_a_page_far_past_the_end_is_empty_on_every_top_collection(staff, lyon_contact):
    for url in collections(nested=False):
        response = staff.get(f"{url}?page=999999999&per_page=100")

        assert response.status_code == 200, (url, response.status_code)
        assert not any(response.json()["_embedded"].values())
