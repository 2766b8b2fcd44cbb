"""People log in and out, reset a forgotten password, and are locked out after repeated failures."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_log_in_with_the_right_password_lands_on_home(client, organizer_lyon):
    response = client.post(
        reverse("login"), {"username": "karim", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_shows_an_error_and_no_session(client, organizer_lyon):
    response = client.post(reverse("login"), {"username": "karim", "password": "nope"})
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_with_the_right_password_after(client, organizer_lyon):
    for _ in range(5):
        client.post(reverse("login"), {"username": "karim", "password": "wrong"})
    locked = client.post(
        reverse("login"), {"username": "karim", "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    assert "15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_log_out_ends_the_session(client_as, organizer_lyon):
    client = client_as(organizer_lyon)
    client.post(reverse("logout"))
    assert client.get(reverse("contacts:list")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, organizer_lyon):
    organizer_lyon.email = "karim@example.fr"
    organizer_lyon.save()
    client.post(reverse("password_reset"), {"email": "karim@example.fr"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    organizer_lyon.refresh_from_db()
    assert organizer_lyon.check_password("a brand new passphrase")
    logged_in = client.post(
        reverse("login"), {"username": "karim", "password": "a brand new passphrase"}
    )
    assert logged_in["Location"] == reverse("home")


def test_volunteer_home_explains_there_is_nothing_assigned_yet(client_as, volunteer):
    page = client_as(volunteer).get(reverse("home"))
    assert page.status_code == 200
    assert reverse("contacts:list") not in page.content.decode()
