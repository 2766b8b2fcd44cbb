"""A real SMTP server for tests and benchmarks (aiosmtpd), on 127.0.0.1 and a free port, in a
thread of its own.

It keeps every message it accepts, parsed as a mail client would read it, and counts the
connections made to it (a client that reuses its connection makes one for many messages).
It can wait before accepting each message (a slow provider) and refuse chosen recipients for
good (5xx, a hard bounce) or for now (4xx, a soft one):

    with SmtpServer(latency=0.05) as server:
        server.refuse("gone@example.org", permanent=True)
        ...  # send to server.host, server.port
        [received] = server.messages
        received.message["Subject"], received.envelope_to
"""

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


@dataclass(frozen=True)
class Received:
    """One message as the server took it: the envelope and the parsed message."""

    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage
    raw: bytes


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        refusal = self.server._refused.get(address.lower())
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.server.latency:
            await asyncio.sleep(self.server.latency)
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.server._keep(
            Received(
                envelope_from=envelope.mail_from,
                envelope_to=list(envelope.rcpt_tos),
                message=message,
                raw=raw,
            )
        )
        return "250 Message accepted for delivery"


class _CountingSMTP(SMTP):
    """aiosmtpd's server session, counting each new connection on its SmtpServer."""

    def __init__(self, handler: _Handler, **kwargs) -> None:
        super().__init__(handler, **kwargs)
        self.counter = handler.server

    def connection_made(self, transport) -> None:
        self.counter._connected()
        super().connection_made(transport)


class _Controller(Controller):
    def factory(self):
        return _CountingSMTP(self.handler, **self.SMTP_kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """The server, started on entering a `with` block and stopped on leaving it."""

    host = "127.0.0.1"

    def __init__(self, *, latency: float = 0.0) -> None:
        self.port = free_port()
        # Seconds waited before accepting each message; may change while the server runs.
        self.latency = latency
        self.messages: list[Received] = []
        self.connections = 0
        self._refused: dict[str, str] = {}
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._controller = _Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            # Messages with non-ASCII addresses (SMTPUTF8) and of any size.
            enable_SMTPUTF8=True,
            data_size_limit=None,
        )

    def __enter__(self) -> "SmtpServer":
        self._controller.start()
        # start() connects once to see the server answer: that one is not a client's.
        self.clear()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    def refuse(self, address: str, *, permanent: bool) -> None:
        """Refuse this recipient: 550 (a hard bounce) if permanent, else 451 (try later)."""
        self._refused[address.lower()] = (
            "550 5.1.1 Mailbox unavailable" if permanent else "451 4.2.0 Mailbox busy, try later"
        )

    def accept(self, address: str) -> None:
        """Take this recipient again (a soft refusal that has cleared)."""
        self._refused.pop(address.lower(), None)

    def clear(self) -> None:
        """Forget the messages and connections seen so far."""
        with self._lock:
            self.messages.clear()
            self.connections = 0

    def wait_for(self, count: int, *, timeout: float = 10.0) -> list[Received]:
        """The messages once at least `count` have arrived (sent by another process)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.messages)} of {count} messages arrived")
                self._arrived.wait(left)
            return list(self.messages)

    def _keep(self, received: Received) -> None:
        with self._arrived:
            self.messages.append(received)
            self._arrived.notify_all()

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1
