"""Password reset emails are limited per address asking and per account, and the page
answers the same whether the account exists, is over its limit, or not."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db
DONE = reverse("password_reset_done")


@pytest.fixture(autouse=True)
def fresh_counters():
    """The limits count in the shared cache: each test starts, and leaves, it empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def karim(organizer_lyon):
    organizer_lyon.email = "karim@example.fr"
    organizer_lyon.save()
    return organizer_lyon


def ask(client, email: str, *, ip: str = "203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_an_account_gets_three_reset_emails_an_hour_then_none(client, karim, settings):
    settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = 3
    answers = [ask(client, "karim@example.fr", ip=f"203.0.113.{i}") for i in range(1, 6)]

    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, DONE)}


def test_one_address_asks_five_resets_an_hour_then_nothing_is_sent(client, karim, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 5
    for i in range(5):
        ask(client, f"nobody{i}@example.fr")

    answer = ask(client, "karim@example.fr")

    assert (answer.status_code, answer["Location"]) == (302, DONE)
    assert mail.outbox == []


def test_another_address_may_still_ask(client, karim, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 5
    for i in range(5):
        ask(client, f"nobody{i}@example.fr")

    ask(client, "karim@example.fr", ip="198.51.100.1")

    assert len(mail.outbox) == 1


def test_an_unknown_email_gets_the_same_answer_as_a_known_one(client, karim):
    known = ask(client, "karim@example.fr")
    unknown = ask(client, "nobody@example.fr", ip="198.51.100.2")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
