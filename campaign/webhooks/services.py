"""Outgoing webhooks. An event writes one Delivery per listening webhook in the transaction of
the action (so a receiver that is down loses nothing), a worker sends it after the commit,
signed with HMAC-SHA256, and retries it with backoff; staff can replay any delivery.

The body is JSON. Headers: X-Terrain-Event, X-Terrain-Delivery (the same on every retry,
for the receiver to skip what it already has), X-Terrain-Timestamp, and
X-Terrain-Signature: "sha256=" and the HMAC-SHA256, keyed with the webhook's secret, of
"<timestamp>.<body>".
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from datetime import timedelta

import requests
from django.db import transaction
from django.utils import timezone

from campaign.models import User

from .models import Delivery, Event, Webhook
from .targets import TargetRefused, checked_session, validate_webhook_url

logger = logging.getLogger(__name__)

# Seconds to wait after each failed attempt; after the last, the delivery has failed.
BACKOFF = [60, 300, 1800, 7200, 43200]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10
STALE_SENDING = timedelta(minutes=5)


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
    from .tasks import deliveries_send

    for start in range(0, len(ids), 100):
        deliveries_send.delay(ids[start : start + 100])


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _claim(delivery_id: int) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.claimed_at = timezone.now()
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
        return delivery


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery, if it is still to send: claimed (committed) first, so two workers
    never send it at once. Returns delivered, retry, failed or taken."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "taken"
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Terrain-Webhooks/1",
        "X-Terrain-Event": delivery.event,
        "X-Terrain-Delivery": str(delivery.uuid),
        "X-Terrain-Timestamp": timestamp,
        "X-Terrain-Signature": signature(delivery.webhook.secret, timestamp, body),
    }
    code, error, refused = None, "", False
    try:
        # The address is checked again here, after resolution, and the connection goes to
        # the checked address; a redirect is an answer like any other, never followed.
        with checked_session() as session:
            response = session.post(
                delivery.webhook.url,
                data=body,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except TargetRefused as exc:
        error, refused = f"Refused: {exc}"[:300], True
    except requests.RequestException as exc:
        error = str(exc)[:300]
    now = timezone.now()
    delivery.response_code, delivery.error = code, error
    if not error:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
        outcome = "delivered"
    elif refused or delivery.attempts >= MAX_ATTEMPTS:
        # A refused address is not a passing fault: trying again would only knock again.
        delivery.status = Delivery.Status.FAILED
        outcome = "failed"
    else:
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])
        outcome = "retry"
    delivery.save(
        update_fields=["status", "delivered_at", "response_code", "error", "next_attempt_at"]
    )
    if error:
        logger.info("Webhook delivery %s: %s (%s)", delivery.pk, error, outcome)
    return outcome


@transaction.atomic
def delivery_replay(*, delivery: Delivery, actor: User) -> Delivery:
    """Send a delivery again now, whatever became of it."""
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.attempts = 0
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    transaction.on_commit(lambda: _send_soon([delivery.pk]))
    return delivery


def deliveries_due() -> list[int]:
    """For beat: deliveries whose next attempt has come, and ones a dead worker left
    "sending" (sent again: receivers skip a delivery id they already have)."""
    now = timezone.now()
    Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(status=Delivery.Status.PENDING, next_attempt_at=now)
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
