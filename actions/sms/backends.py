"""Where text messages go: Twilio in production, the log on the embedded defaults.

SMS_BACKEND (derived from the TWILIO_* settings) names the class. Blasts and
conversations call `sms_backend().send(...)` and never know which one runs.
"""

import logging
import uuid
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str


class LogBackend:
    """Writes each text to the log instead of sending it; returns a made-up SID."""

    name = "log"

    def describe(self) -> dict:
        return {"backend": self.name, "status": "ok"}

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> SentMessage:
        sid = "LOG" + uuid.uuid4().hex
        logger.info("SMS to %s (%s): %s", to, sid, body)
        return SentMessage(sid=sid, status="sent")


class TwilioBackend:
    """Sends through Twilio's REST API with the official client."""

    name = "twilio"

    def __init__(self) -> None:
        from twilio.rest import Client

        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
        if settings.TWILIO_API_BASE_URL:
            # Tests and benchmarks point the client at a local server speaking Twilio's API.
            self.client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")

    def describe(self) -> dict:
        sender = settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM
        return {"backend": self.name, "status": "configured", "sender": sender}

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> SentMessage:
        kwargs = {"to": to, "body": body}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            kwargs["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            kwargs["from_"] = settings.TWILIO_FROM
        if status_callback:
            kwargs["status_callback"] = status_callback
        message = self.client.messages.create(**kwargs)
        return SentMessage(sid=message.sid, status=message.status)


@cache
def sms_backend():
    return import_string(settings.SMS_BACKEND)()
