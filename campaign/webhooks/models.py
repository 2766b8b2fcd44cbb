"""Outgoing webhooks: URLs that hear of events, and each delivery, kept and replayable."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .targets import validate_webhook_url


class Event(models.TextChoices):
    CONTACT_CREATED = "contact.created", _("A new contact (added by hand, by a form or the API)")
    SIGNATURE_CREATED = "signature.created", _("A new petition signature")
    DONATION_CREATED = "donation.created", _("A new gift")
    OPT_OUT = "consent.withdrawn", _("Someone withdrew a consent (STOP, unsubscribed)")
    DOOR_RESULT = "canvass.recorded", _("A door-to-door result")


class Webhook(models.Model):
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        app_label = "campaign"
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        # The admin's form calls this: the same rule as the webhooks page (no migration,
        # unlike a field validator, and the rule reads the setting at each call).
        try:
            validate_webhook_url(self.url)
        except ValidationError as exc:
            raise ValidationError({"url": exc}) from None


class Delivery(models.Model):
    """One event for one webhook: written with the event (nothing is lost when the receiver
    is down), sent by a worker, retried with backoff, replayable."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Received by the address")
        FAILED = "failed", _("Failed: given up")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        app_label = "campaign"
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.get_status_display()})"
