"""A caller without a token is counted by the address the trusted proxy saw, not by the
X-Forwarded-For it writes itself; the token-less signature helper keeps the petition page's
limit per address, counted with the page."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from actions.petitions.models import PendingSignature, Petition, Signature

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@override_settings(API_RATE_LIMIT="2/min", CLIENT_IP_HEADER="", TRUSTED_PROXY_HOPS=1)
def test_a_forged_forwarded_for_does_not_buy_a_caller_a_new_allowance(client):
    answers = [
        client.get("/api/v1/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)
    ]

    assert answers == [200, 200, 429]


@override_settings(PETITION_SIGNATURES_PER_IP_PER_MINUTE=2)
def test_the_token_less_signature_helper_keeps_the_petition_pages_limit(client):
    water = Petition.objects.create(
        slug="eau", title="Eau", text="…", status=Petition.Status.PUBLISHED
    )

    def sign(n: int) -> int:
        person = {"email_addresses": [{"address": f"n{n}@example.fr"}]}
        return client.post(
            f"/api/v1/petitions/{water.pk}/signatures",
            {"person": person},
            content_type="application/json",
        ).status_code

    answers = [sign(n) for n in range(3)]

    assert answers == [202, 202, 429]
    stored = PendingSignature.objects.count() + Signature.objects.count()
    assert stored == 2
