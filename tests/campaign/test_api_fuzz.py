"""A fuzz run of the API from its OpenAPI schema (schemathesis): whatever it is sent, with a
token, the API answers without a server error."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

# Django's WSGI app as campaign.wsgi makes it, without the start-up check that static files
# were collected (tests collect none; they serve them unhashed).
application = get_wsgi_application()

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def connection_kept():
    """Called as a WSGI app, Django closes the database connection after each request; the
    test's transaction lives on it, so keep it open (as Django's test client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, admin_user, lyon_contact, connection_kept):
    from actions.petitions.models import Petition
    from campaign.api.tokens import api_token_create

    Petition.objects.create(slug="eau", title="Eau", text="…", status=Petition.Status.PUBLISHED)
    return api_token_create(user=admin_user, name="fuzz")[1]


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_answers_with_a_server_error(case, token):
    from django.core.cache import cache

    cache.clear()  # the rate per token is not what is tested here
    case.call_and_validate(headers={"OSDI-API-Token": token}, checks=[not_a_server_error])
