"""Payment providers behind one small interface, so that a Stripe or HelloAsso adapter can
be added without touching the rest.

A provider takes a pledged `Donation` and says where the donor goes next (`start`). When the
payment is settled, the provider's callback (its webhook, or the fake page below) calls
`services.donation_settled`. Shipped: "manual" (a pledge paid later by cheque or transfer)
and "fake_card" (a local stand-in for a card provider's hosted page, for tests and demos).
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Donation


@dataclass(frozen=True)
class Next:
    url: str  # where the donor's browser goes now


class ManualProvider:
    """The gift stays pledged; the thank-you page says how to pay by cheque or transfer,
    and staff mark it paid when the money arrives."""

    name = "manual"
    label = _("No provider (by hand, cheque or transfer)")
    methods = (Donation.Method.CHEQUE, Donation.Method.TRANSFER)

    def start(self, *, donation: Donation) -> Next:
        return Next(url=_thanks(donation))


class FakeCardProvider:
    """A card provider's hosted checkout, played locally: /don/fake-card/<checkout>/ takes
    a card number (4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined)."""

    name = "fake_card"
    label = _("Test card page")
    methods = (Donation.Method.CARD,)

    def start(self, *, donation: Donation) -> Next:
        return Next(url=reverse("donations:fake_card", kwargs={"checkout": donation.checkout}))

    def charge(self, *, donation: Donation, mandate: Donation) -> tuple[bool, str]:
        """A month of a monthly gift, on the card the donor gave the first time: paid?"""
        return True, f"fake_{uuid.uuid4().hex[:16]}"


def _thanks(donation: Donation) -> str:
    # Only a gift pledged on a drive's page starts with a provider: its page says thank you.
    if donation.drive is None:
        raise ValueError(f"Donation {donation.pk} comes from no drive's page")
    return reverse(
        "donations:thanks", kwargs={"slug": donation.drive.slug, "checkout": donation.checkout}
    )


_PROVIDERS = {p.name: p for p in (ManualProvider(), FakeCardProvider())}


def provider(name: str):
    return _PROVIDERS[name]


# Providers whose exports are imported (the import form names them freely), as they spell
# their own names; any other is shown as it was typed.
IMPORTED_LABELS = {"helloasso": "HelloAsso", "stripe": "Stripe", "paypal": "PayPal"}


def provider_code(name: str) -> str:
    """The one spelling a provider is stored under, in lower case: "HelloAsso", "helloasso"
    and " HELLOASSO " are one provider, whose transaction ids are counted once."""
    return name.strip().lower()


def provider_label(name: str) -> str:
    """How a provider's code reads on a page: "fake_card" → "Test card page"."""
    shipped = _PROVIDERS.get(name)
    return str(shipped.label) if shipped else IMPORTED_LABELS.get(provider_code(name), name)


def card_provider():
    """The provider that takes cards here (DONATION_CARD_PROVIDER), or None: no card."""
    name = settings.DONATION_CARD_PROVIDER
    return _PROVIDERS.get(name) if name else None
