"""/healthz tells the state of each service; unknown pages get a styled 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_sms_backend(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"]["status"] == "ok"
    expected_broker = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert report["broker"]["status"] == expected_broker
    assert report["sms"]["backend"] in {"log", "twilio"}


def test_healthz_says_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "error"


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
