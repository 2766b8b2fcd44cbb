"""/healthz tells anyone whether Terrain is up, and staff or a monitor the state of each
service; unknown pages get a styled 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_tells_a_visitor_only_that_terrain_is_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_tells_a_visitor_only_that_terrain_is_unavailable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_healthz_reports_database_broker_and_sms_backend_to_staff(client_as, admin_user, settings):
    from actions.sms.backends import sms_backend

    settings.SMS_BACKEND = "actions.sms.backends.LogBackend"  # Twilio unset, as in tests
    sms_backend.cache_clear()
    response = client_as(admin_user).get(reverse("healthz"))
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"]["status"] == "ok"
    expected_broker = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert report["broker"]["status"] == expected_broker
    assert report["sms"]["backend"] == "log"
    sms_backend.cache_clear()


def test_healthz_says_503_with_the_broker_down_to_staff(client_as, organizer_lyon, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client_as(organizer_lyon).get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "error"


def test_a_volunteer_gets_no_details_from_healthz(client_as, volunteer):
    assert client_as(volunteer).get(reverse("healthz")).json() == {"status": "ok"}


def test_the_monitoring_token_shows_the_details(client, settings):
    settings.HEALTHZ_TOKEN = "monitor-" + "k" * 24
    response = client.get(reverse("healthz"), HTTP_X_HEALTHZ_TOKEN=settings.HEALTHZ_TOKEN)
    assert response.json()["database"]["status"] == "ok"


def test_a_wrong_monitoring_token_shows_nothing_more(client, settings):
    settings.HEALTHZ_TOKEN = "monitor-" + "k" * 24
    response = client.get(reverse("healthz"), HTTP_X_HEALTHZ_TOKEN="monitor-guess")
    assert response.json() == {"status": "ok"}


def test_without_a_monitoring_token_set_an_empty_header_shows_nothing_more(client, settings):
    settings.HEALTHZ_TOKEN = ""
    response = client.get(reverse("healthz"), HTTP_X_HEALTHZ_TOKEN="")
    assert response.json() == {"status": "ok"}


def test_an_unknown_page_gets_the_styled_404(client_as, organizer_lyon):
    response = client_as(organizer_lyon).get("/nowhere/at/all/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'href="/static/css/app.css"' in page
    assert 'class="error-page"' in page


def test_the_app_speaks_french_by_default_and_english_on_request(client_as, organizer_lyon):
    client = client_as(organizer_lyon)
    # Even when the browser prefers English: staff switch language on purpose.
    page = client.get(reverse("contacts:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Se déconnecter" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("contacts:list")).content.decode()


@pytest.fixture
def redis_down(settings):
    """Redis out of reach, as while it restarts: the cache and the shared counters point at
    a port nothing listens on."""
    if settings.REDIS_URL:
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }


def test_a_signature_sent_while_redis_restarts_gets_a_clear_try_again_page(client, redis_down):
    from actions.petitions.models import PendingSignature, Petition, Signature

    Petition.objects.create(slug="eau", title="De l'eau", text="Signez.", status="published")
    client.raise_request_exception = False  # as a visitor meets it
    response = client.post(
        "/p/eau/",
        {
            "first_name": "Nina",
            "last_name": "Roux",
            "email": "nina@example.fr",
            "postal_code": "69001",
        },
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Terrain revient dans un instant" in page and "renvoyez-le dans une minute" in page
    assert "Traceback" not in page
    assert not PendingSignature.objects.exists() and not Signature.objects.exists()


def test_the_api_answers_503_in_json_while_redis_restarts(client, admin_user, redis_down):
    from campaign.api.tokens import api_token_create

    _token, key = api_token_create(user=admin_user, name="tests")
    client.raise_request_exception = False
    response = client.get("/api/v1/people", HTTP_OSDI_API_TOKEN=key)
    assert response.status_code == 503
    assert "try again in a minute" in response.json()["error"]


def test_a_bug_still_gets_the_500_page(client, settings):
    from campaign.views import error_500

    try:
        raise ValueError("a bug")
    except ValueError:
        response = error_500(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
