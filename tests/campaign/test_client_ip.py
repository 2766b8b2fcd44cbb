"""Behind proxies, the visitor's address is the one the trusted proxy saw, never one the
visitor wrote; X-Forwarded-Proto is believed only when a proxy is said to set it."""

import pytest
from django.test import RequestFactory

from campaign.http import client_ip

FORWARDED = "HTTP_X_FORWARDED_FOR"


@pytest.fixture
def behind_one_proxy(settings):
    settings.CLIENT_IP_HEADER = FORWARDED
    settings.TRUSTED_PROXY_HOPS = 1


def request_with(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)


def test_the_address_the_proxy_saw_is_read_not_the_one_the_visitor_wrote(behind_one_proxy):
    request = request_with(**{FORWARDED: "6.6.6.6, 203.0.113.7"})
    assert client_ip(request) == "203.0.113.7"


def test_two_trusted_proxies_mean_the_second_entry_from_the_right(settings):
    settings.CLIENT_IP_HEADER = FORWARDED
    settings.TRUSTED_PROXY_HOPS = 2
    request = request_with(**{FORWARDED: "6.6.6.6, 198.51.100.1, 10.0.0.9"})
    assert client_ip(request) == "198.51.100.1"


def test_a_single_value_header_is_read_whole(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(request_with(HTTP_X_REAL_IP="203.0.113.7")) == "203.0.113.7"


def test_a_header_that_is_not_an_address_falls_back_to_the_connection(behind_one_proxy):
    assert client_ip(request_with(**{FORWARDED: "1.2.3.4, <script>"})) == "10.0.0.2"


def test_without_a_proxy_header_the_connection_address_counts(settings):
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(request_with(**{FORWARDED: "6.6.6.6"})) == "10.0.0.2"


@pytest.mark.django_db
def test_a_bot_that_forges_a_new_address_each_time_is_still_rate_limited(
    client, behind_one_proxy, settings
):
    from actions.petitions.models import Petition

    settings.PETITION_SIGNATURES_PER_IP_PER_MINUTE = 2
    Petition.objects.create(slug="eau", title="De l'eau", text="Signez.", status="published")
    codes = []
    for n in range(3):
        response = client.post(
            "/p/eau/",
            {"first_name": "Bot", "last_name": "Bot", "email": f"b{n}@example.fr"},
            **{FORWARDED: f"6.6.6.{n}, 203.0.113.7"},
        )
        codes.append(response.status_code)
    assert codes[-1] == 429


def test_x_forwarded_proto_is_not_believed_by_default():
    # The test settings load with the defaults: no TRUST_X_FORWARDED_PROTO.
    assert not request_with(HTTP_X_FORWARDED_PROTO="https").is_secure()


def test_x_forwarded_proto_is_believed_when_a_proxy_is_said_to_set_it(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert request_with(HTTP_X_FORWARDED_PROTO="https").is_secure()


@pytest.mark.django_db
def test_login_lockouts_count_the_visitor_the_proxy_saw_not_the_proxy(
    client, behind_one_proxy, organizer_lyon
):
    """Behind a proxy every connection comes from the proxy: five failures from one visitor
    must not lock the account for everyone else, and must be recorded with their address."""
    from axes.models import AccessAttempt

    attacker = {FORWARDED: "6.6.6.6, 203.0.113.7", "REMOTE_ADDR": "10.0.0.2"}
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "karim", "password": "wrong"}, **attacker)
    owner = {FORWARDED: "198.51.100.4", "REMOTE_ADDR": "10.0.0.2"}

    response = client.post(
        "/accounts/login/", {"username": "karim", "password": "correct horse battery"}, **owner
    )

    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]
