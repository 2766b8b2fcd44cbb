"""Where text messages go: Twilio in production, the log on the embedded defaults.

SMS_BACKEND (derived from the TWILIO_* settings) names the class. Blasts and replies call
`sms_backend().send(...)` and never know which one runs. A backend may be called from
several threads at once.
"""

import asyncio
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import aiohttp
from django.conf import settings
from django.utils.module_loading import import_string
from requests.exceptions import ConnectTimeout, RequestException
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str


class SendError(Exception):
    """The provider refused or failed. `retryable`: try again later (rate limit, outage).
    `maybe_sent`: no answer came back after the request went out (a timeout, a connection
    cut), so the provider may have the text: look it up before sending it again."""

    def __init__(
        self, code: str, message: str = "", *, retryable: bool, maybe_sent: bool = False
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retryable = retryable
        self.maybe_sent = maybe_sent


class LogBackend:
    """Writes each text to the log instead of sending it; returns a made-up SID."""

    name = "log"
    limited = False  # the log takes any rate

    def describe(self) -> dict:
        return {"backend": self.name, "status": "ok"}

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> SentMessage:
        sid = "LOG" + uuid.uuid4().hex
        logger.info("SMS to %s (%s): %s", to, sid, body)
        return SentMessage(sid=sid, status="sent")

    def find_sent(self, *, to: str, body: str, since: datetime) -> str | None:
        return None  # the log keeps nothing to look up

    def sender(self) -> "LogSender":
        return LogSender(self)


class LogSender:
    """LogBackend's side of a blast: same interface as TwilioSender."""

    def __init__(self, backend: LogBackend) -> None:
        self.backend = backend

    async def __aenter__(self) -> "LogSender":
        return self

    async def __aexit__(self, *exc_info) -> None:
        return None

    async def send(self, *, to: str, body: str, status_callback: str | None = None) -> SentMessage:
        return self.backend.send(to=to, body=body, status_callback=status_callback)


class TwilioBackend:
    """Sends through Twilio's REST API with the official client (one per thread)."""

    name = "twilio"
    limited = True  # the sender's segments per second (SMS_SEGMENTS_PER_SECOND)

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def client(self):
        client = getattr(self._local, "client", None)
        if client is None:
            http = TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT_SECONDS)
            client = _pointed(
                Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http)
            )
            if settings.TWILIO_API_BASE_URL:
                client.http_client.session.trust_env = False  # no proxy for loopback
            self._local.client = client
        return client

    def sender(self) -> "TwilioSender":
        """For a blast: the official client's asynchronous flavour, many calls in flight on
        one event loop (a quarter of the CPU per text of the threaded client)."""
        return TwilioSender()

    def describe(self) -> dict:
        sender = settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM
        return {"backend": self.name, "status": "configured", "sender": sender}

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> SentMessage:
        try:
            message = self.client.messages.create(**_create_args(to, body, status_callback))
        except TwilioRestException as error:
            raise _send_error(error) from error
        except RequestException as error:  # no answer: the provider may be down
            reason = getattr(error.args[0], "reason", None) if error.args else None
            unsent = isinstance(error, ConnectTimeout) or isinstance(reason, NewConnectionError)
            raise _network_error(error, maybe_sent=not unsent) from error
        return SentMessage(sid=message.sid, status=message.status)

    def find_sent(self, *, to: str, body: str, since: datetime) -> str | None:
        """The SID of a text to `to` with this body created since `since`, if Twilio has one:
        how a text claimed by a worker that died is told apart from one never sent."""
        for message in self.client.messages.list(to=to, date_sent_after=since, limit=50):
            if message.body == body:
                return message.sid
        return None


def _pointed(client):
    """Tests and benchmarks: the client talks to a local server speaking Twilio's API. Every
    API path is joined to api.base_url; an edge or a region would rewrite the host."""
    if settings.TWILIO_API_BASE_URL:
        client.edge = client.region = None
        client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")
    return client


def _create_args(to: str, body: str, status_callback: str | None) -> dict:
    kwargs = {"to": to, "body": body}
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        kwargs["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
    else:
        kwargs["from_"] = settings.TWILIO_FROM  # a number or an alphanumeric sender ID
    if status_callback:
        kwargs["status_callback"] = status_callback
    return kwargs


def _network_error(error: Exception, *, maybe_sent: bool) -> SendError:
    return SendError(
        "network", str(error) or type(error).__name__, retryable=True, maybe_sent=maybe_sent
    )


def _send_error(error) -> SendError:
    """Twilio's refusal: rate limits and its own failures are worth another try."""
    code = str(error.code or error.status)
    retryable = error.status == 429 or error.code == 20429 or error.status >= 500
    return SendError(code, error.msg or "", retryable=retryable)


class TwilioSender:
    """Use as `async with backend.sender() as sender: await sender.send(...)`, inside one
    event loop (the aiohttp session belongs to it)."""

    async def __aenter__(self) -> "TwilioSender":
        self.http = AsyncTwilioHttpClient()  # aiohttp ignores proxy variables
        self.client = _pointed(
            Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=self.http)
        )
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.http.close()

    async def send(self, *, to: str, body: str, status_callback: str | None = None) -> SentMessage:
        try:
            # The async client does not apply its own timeout to requests: bound the call here.
            message = await asyncio.wait_for(
                self.client.messages.create_async(**_create_args(to, body, status_callback)),
                timeout=settings.TWILIO_TIMEOUT_SECONDS,
            )
        except TwilioRestException as error:
            raise _send_error(error) from error
        except (TimeoutError, aiohttp.ClientError) as error:  # no answer
            unsent = isinstance(error, aiohttp.ClientConnectorError)  # never got through
            raise _network_error(error, maybe_sent=not unsent) from error
        return SentMessage(sid=message.sid, status=message.status)


@cache
def sms_backend():
    return import_string(settings.SMS_BACKEND)()
