"""Sending a webhook delivery, the work of the webhooks' tasks: claimed (committed) first, so
two workers never send it at once, signed, posted to the checked address, and retried with
backoff; deliveries a dead worker left are picked up again (campaign.webhooks.services says
what is sent)."""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import requests
from django.db import transaction
from django.utils import timezone

from .models import Delivery
from .targets import TargetRefused, checked_session

logger = logging.getLogger(__name__)

# Seconds to wait after each failed attempt; after the last, the delivery has failed.
BACKOFF = [60, 300, 1800, 7200, 43200]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10
STALE_SENDING = timedelta(minutes=5)


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
