"""Outgoing webhooks. An event writes one Delivery per listening webhook in the transaction of
the action (so a receiver that is down loses nothing), a worker sends it after the commit,
signed with HMAC-SHA256, and retries it with backoff (campaign.webhooks.sending, the work
of the tasks); staff can replay any delivery.

The body is JSON. Headers: X-Terrain-Event, X-Terrain-Delivery (the same on every retry,
for the receiver to skip what it already has), X-Terrain-Timestamp, and
X-Terrain-Signature: "sha256=" and the HMAC-SHA256, keyed with the webhook's secret, of
"<timestamp>.<body>".
"""

import secrets
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from campaign.models import User

from .models import Delivery, Event, Webhook
from .targets import validate_webhook_url
from .tasks import deliveries_send


@transaction.atomic
def webhook_create(*, url: str, events: list[str], actor: User) -> Webhook:
    """A new webhook; ValidationError if its address leads to a non-public network."""
    unknown = set(events) - set(Event.values)
    if unknown:
        raise ValueError(f"Unknown events: {sorted(unknown)}")
    # The form checks it too; this guards every other caller (shell, API to come).
    validate_webhook_url(url)
    return Webhook.objects.create(
        url=url, events=sorted(set(events)), secret=secrets.token_hex(32), created_by=actor
    )


@transaction.atomic
def webhook_set_active(*, webhook: Webhook, active: bool, actor: User) -> Webhook:
    webhook.is_active = active
    webhook.save(update_fields=["is_active"])
    return webhook


def person_brief(contact) -> dict:
    """What an event says of a person: enough to find them through the API."""
    return {
        "identifiers": [f"terrain:{contact.uuid}"],
        "given_name": contact.first_name,
        "family_name": contact.last_name,
        "postal_code": contact.postal_code,
        "api_path": f"/api/v1/people/{contact.uuid}",
    }


def webhooks_emit(*, event: str, payloads: list[dict] | Callable[[], list[dict]]) -> int:
    """Queue `event` for each payload to each active webhook that listens to it; sent once
    the current transaction commits. `payloads` may be a function, called only when some
    webhook listens. Returns how many deliveries were written."""
    hooks = [h for h in Webhook.objects.filter(is_active=True) if event in h.events]
    if not hooks:
        return 0
    if callable(payloads):
        payloads = payloads()
    if not payloads:
        return 0
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            webhook=hook,
            event=event,
            payload={"event": event, "created_at": now.isoformat(), "data": payload},
            next_attempt_at=now,
        )
        for hook in hooks
        for payload in payloads
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _send_soon(ids))
    return len(ids)


def _send_soon(ids: list[int]) -> None:
    for start in range(0, len(ids), 100):
        deliveries_send.delay(ids[start : start + 100])


@transaction.atomic
def delivery_replay(*, delivery: Delivery, actor: User) -> Delivery:
    """Send a delivery again now, whatever became of it."""
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.attempts = 0
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    transaction.on_commit(lambda: _send_soon([delivery.pk]))
    return delivery
