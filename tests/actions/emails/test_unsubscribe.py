"""Every blast can be left in one click: its headers carry an HTTPS link taking RFC 8058's
one-click POST and a mailto; the link's page confirms with one button; either way the
email consent is withdrawn once, with an event naming the blast, and nobody else's."""

import pytest
from django.urls import reverse

from actions.emails.unsubscribe import blast_headers, unsubscribe_token, unsubscribe_url
from contacts.models import Consent, ConsentEvent
from contacts.services import consent_set
from tests.factories import EmailMessageFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(settings):
    settings.SITE_URL = "https://terrain.example.org"
    message = EmailMessageFactory(message_id="<blast1.42@terrain.example.org>")
    consent_set(
        contact=message.contact, channel="email", status="granted", source="manual", actor=None
    )
    return message


def path_of(message) -> str:
    return reverse("emails:unsubscribe", args=[unsubscribe_token(message)])


def test_the_headers_offer_a_one_click_https_link_and_a_mailto(message):
    headers = blast_headers(message)
    link, mailto = (part.strip(" <>") for part in headers["List-Unsubscribe"].split(","))
    assert link == unsubscribe_url(message)
    assert link.startswith("https://terrain.example.org/emails/unsubscribe/")
    assert mailto.startswith("mailto:equipe@garnier2026.fr?subject=unsubscribe%20")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"] == "<blast1.42@terrain.example.org>"
    assert headers["Feedback-ID"] == f"{message.blast.pk}:blast:terrain"


def test_a_mail_apps_one_click_post_unsubscribes_without_login_or_cookie(client, message):
    client.handler.enforce_csrf_checks = True
    response = client.post(
        path_of(message),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Consent.objects.get(contact=message.contact).status == "withdrawn"
    event = ConsentEvent.objects.get(contact=message.contact, status="withdrawn")
    assert (event.source, event.source_detail) == ("email", "Lettre de décembre")
    assert event.wording == "Lien de désabonnement de l’e-mail « Samedi, on se retrouve »"
    message.refresh_from_db()
    assert message.unsubscribed_at is not None


def test_the_page_asks_first_and_a_get_changes_nothing(client, message):
    page = client.get(path_of(message))
    assert page.status_code == 200
    assert "l…a@example.fr" in page.content.decode()
    assert Consent.objects.get(contact=message.contact).status == "granted"


def test_a_second_click_records_nothing_more(client, message):
    client.post(path_of(message))
    client.post(path_of(message))
    assert ConsentEvent.objects.filter(contact=message.contact, status="withdrawn").count() == 1


def test_a_token_that_was_changed_unsubscribes_nobody(client, message):
    other = person("hugo@example.fr", first_name="Hugo")
    consent_set(contact=other, channel="email", status="granted", source="manual", actor=None)
    forged = f"{other.pk}:{unsubscribe_token(message).split(':', 1)[1]}"
    response = client.post(reverse("emails:unsubscribe", args=[forged]))
    assert response.status_code == 403
    assert not Consent.objects.filter(status="withdrawn").exists()
