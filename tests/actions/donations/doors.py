"""The doors a gift comes in by, as the donation tests use them."""

from django.urls import reverse
from django.utils import timezone


def staff_gift(client, contact, entity, amount, *, follow: bool = False, **fields):
    """A cheque recorded by hand from the donor's page (Record a gift), today."""
    return client.post(
        reverse("donations:new") + f"?contact={contact.pk}",
        {
            "entity": entity.pk,
            "amount": amount,
            "method": "cheque",
            "kind": "gift",
            "received_on": timezone.localdate().isoformat(),
            "natural_person": "on",
            "french_or_resident": "on",
            **fields,
        },
        follow=follow,
    )
