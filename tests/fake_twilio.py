"""A local server that speaks enough of Twilio's REST API (2010-04-01) to send and list SMS.

Used by tests, by the SMS benchmark and by developers running the app without Twilio:

    with FakeTwilio(latency_ms=200) as fake:
        client = client_for(fake)
        client.messages.create(to="+33612345678", from_="+33700000000", body="Bonjour")

or standalone: `python -m tests.fake_twilio --port 8799`, then point TWILIO_API_BASE_URL at it.

Served (Basic auth AccountSid:AuthToken on the API, none on the /_fake/ control endpoints):

- POST /2010-04-01/Accounts/{AccountSid}/Messages.json: create (201, or a Twilio error body)
- GET  /2010-04-01/Accounts/{AccountSid}/Messages.json: list, filters To, From, DateSent,
  DateSent>, DateSent< (inclusive, a date or a UTC datetime), PageSize, Page, PageToken
- GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json: fetch one
- GET /_fake/stats (?since=<ISO moment>: also how many arrived from then on), GET
  /_fake/messages, POST /_fake/reset, POST /_fake/fail (JSON body)

Delivery reports (status_callbacks=True, --status-callbacks): "sent" then "delivered" posted
to each message's StatusCallback, signed as Twilio signs them, `report_delay_s` after the
create; with report_before_answer "sent" is posted before the 201 is written (the client has
not read the SID yet), with report_twice a late "sent" and the final report come again, out
of order; `undeliverable(to=..., code=30005)` makes the final report "undelivered" with that
ErrorCode. stats() then counts our answers by HTTP status, and the reports still waiting.

Faults: `fail_next(n, status=500, code=20500)` answers the next creates with an error;
`stall_next(n, seconds=2, record=True)` makes them wait `seconds` before answering, past the
client's timeout: with record=True the message was accepted (the answer is what got lost),
with record=False the request was lost and nothing is kept.

Every API request first sleeps latency_ms (in its own thread). A create then checks, in
order: Basic auth (401, 20003), AccountSid in the path (404, 20404), a pending `fail_next`
rule, To present (21604, Twilio's code for a missing To) and E.164 (21211), a sender: From
or MessagingServiceSid (21603), Body or MediaUrl present (21602) and at most 1600
characters (21617), then a `fail(to=...)` rule for that number. Every error answer to a
create counts in stats()["rejected"]; list and fetch errors do not.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hashlib
import heapq
import hmac
import http.client
import itertools
import json
import math
import queue
import re
import secrets
import socket
import threading
import time
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "AC" + "fa4e" * 8
DEFAULT_AUTH_TOKEN = "fake-auth-token"
MAX_BODY_LENGTH = 1600
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50
CALLBACK_WORKERS = 4
CALLBACK_TIMEOUT_S = 5.0
MAX_LINE = 65536
MAX_HEADERS = 100

REASONS = {status.value: status.phrase for status in HTTPStatus}
E164 = re.compile(r"\+[0-9]{8,15}")

ERROR_MESSAGES = {
    20001: "Invalid parameter.",
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "An internal server error has occurred",
    20504: "Gateway timeout",
    21211: "The 'To' number is not a valid phone number.",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21617: "The concatenated message body exceeds the 1600 character limit.",
    30003: "Unreachable destination handset",
    30007: "Message filtered",
}

# GSM 03.38: the basic set costs one septet per character, the extension set two.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("\f^{}\\[~]|€")


def twilio_signature(url: str, params: dict[str, str], auth_token: str) -> str:
    """The X-Twilio-Signature Twilio sends with a form-encoded webhook to `url`."""
    signed = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def num_segments(body: str) -> int:
    """How many SMS segments Twilio bills for `body` (GSM-7 if it fits, else UCS-2)."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in body):
        units = len(body) + sum(char in GSM_EXTENSION for char in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


def rfc2822(moment: datetime | None) -> str | None:
    """A UTC datetime the way Twilio writes it: 'Mon, 02 Jun 2025 08:15:30 +0000'."""
    return None if moment is None else format_datetime(moment.replace(microsecond=0))


def error_body(status: int, code: int, message: str | None = None) -> dict:
    """A Twilio-style error document."""
    return {
        "code": code,
        "message": message or ERROR_MESSAGES.get(code, f"Error {code}"),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class ApiError(Exception):
    """An error answer: HTTP status plus Twilio error code."""

    def __init__(self, status: int, code: int, message: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(status, code, message)


def _parse_when(value: str) -> date | datetime:
    """A DateSent filter value: 'YYYY-MM-DD' (a date) or an ISO datetime (UTC if naive)."""
    try:
        if "T" not in value and " " not in value:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, 20001, f"Invalid DateSent value: {value!r}") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _date_matches(created: datetime, op: str, bound: date | datetime) -> bool:
    """Whether a message created at `created` passes DateSent `op` `bound` (inclusive)."""
    if isinstance(bound, datetime):
        value: date | datetime = created.replace(microsecond=0)
    else:
        value = created.date()
    if op == ">":
        return value >= bound
    if op == "<":
        return value <= bound
    return value == bound


class FakeTwilio:
    """Twilio's Messages API on 127.0.0.1, recording what it accepts."""

    def __init__(
        self,
        *,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        latency_ms: float = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        status_callbacks: bool = False,
        report_before_answer: bool = False,
        report_delay_s: float = 0.0,
        report_twice: bool = False,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.latency_ms = latency_ms
        self.host = host
        self.status_callbacks = status_callbacks
        # As Twilio may: "sent" posted before the 201 is written (the client has not read
        # the SID yet), the final report `report_delay_s` later, and with report_twice a
        # late "sent" and the final report again, out of order.
        self.report_before_answer = report_before_answer
        self.report_delay_s = report_delay_s
        self.report_twice = report_twice
        self._requested_port = port
        credentials = f"{account_sid}:{auth_token}".encode()
        self._expected_auth = "Basic " + base64.b64encode(credentials).decode("ascii")
        self._api_prefix = f"/{API_VERSION}/Accounts/"
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._callbacks: queue.Queue = queue.Queue()
        self._callback_threads: list[threading.Thread] = []
        self._due: list[tuple[float, int, dict, list[str]]] = []  # reports waiting their time
        self._due_changed = threading.Condition()
        self._reports_waiting = 0  # planned and not yet posted
        self._order = itertools.count()
        self._clear()

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeTwilio:
        """Listen and serve from a background daemon thread."""
        if self._server is not None:
            return self
        self._server = _Server((self.host, self._requested_port), _Handler, fake=self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long stop() may wait
            name="fake-twilio",
            daemon=True,
        )
        self._thread.start()
        if self.status_callbacks:
            for number in range(CALLBACK_WORKERS):
                worker = threading.Thread(
                    target=self._callback_worker, name=f"fake-twilio-callback-{number}", daemon=True
                )
                worker.start()
                self._callback_threads.append(worker)
            timer = threading.Thread(target=self._report_timer, name="fake-twilio-due", daemon=True)
            timer.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        for _ in self._callback_threads:
            self._callbacks.put(None)
        self._callback_threads = []
        with self._due_changed:
            self._due.append((-1.0, -1, {}, []))  # the timer's signal to stop
            self._due_changed.notify()

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port listened on (the real one once started with port=0)."""
        if self._server is None:
            return self._requested_port
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL to use instead of https://api.twilio.com."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    # -- state ------------------------------------------------------------------------------

    def _clear(self) -> None:
        # New containers rather than .clear(): a listing in progress keeps its snapshot.
        self._records: list[dict] = []
        self._by_sid: dict[str, dict] = {}
        self._by_to: dict[str, list[dict]] = {}
        self._rejected = 0
        self._duplicate_to = 0
        self._fail_to: dict[str, tuple[int, int, str | None]] = {}
        self._fail_next_count = 0
        self._fail_next_rule: tuple[int, int, str | None] = (429, 20429, None)
        self._stall_next_count = 0
        self._stall_rule: tuple[float, bool] = (0.0, True)
        self._undeliverable: dict[str, int] = {}
        self._report_answers: dict[int | str, int] = {}  # our HTTP status (or error) → count
        self._in_flight = 0
        self._peak_in_flight = 0

    def reset(self) -> None:
        """Forget messages, counters and failure rules."""
        with self._lock:
            self._clear()

    @property
    def messages(self) -> list[dict]:
        """A copy of every accepted message, oldest first."""
        with self._lock:
            records = list(self._records)
        return [dict(record) for record in records]

    def stats(self) -> dict:
        """Counters: received, rejected, unique_to, duplicate_to (and report_answers)."""
        with self._lock:
            stats = {
                "received": len(self._records),
                "rejected": self._rejected,
                "unique_to": len(self._by_to),
                "duplicate_to": self._duplicate_to,
            }
            if self.status_callbacks:  # our answers to the reports posted, by HTTP status
                stats["report_answers"] = {str(k): v for k, v in self._report_answers.items()}
                stats["reports_waiting"] = self._reports_waiting + self._callbacks.unfinished_tasks
            return stats

    def received_since(self, moment: datetime) -> int:
        """How many accepted messages had arrived (before any latency) at or after `moment`."""
        with self._lock:
            return sum(1 for record in self._records if record["arrived_at"] >= moment)

    def undeliverable(self, *, to: str, code: int = 30005) -> None:
        """Accept texts to `to`, then report them "undelivered" with this error code."""
        with self._lock:
            self._undeliverable[to] = code

    @property
    def peak_in_flight(self) -> int:
        """The most API requests that were waiting out their latency at the same time."""
        with self._lock:
            return self._peak_in_flight

    def fail(self, *, to: str, status: int = 400, code: int = 21610, message: str | None = None):
        """Answer every create to `to` with this error (until reset)."""
        with self._lock:
            self._fail_to[to] = (status, code, message)

    def fail_next(
        self, n: int, *, status: int = 429, code: int = 20429, message: str | None = None
    ):
        """Answer the next `n` creates, whatever their To, with this error (replaces a pending one)."""
        with self._lock:
            self._fail_next_count = n
            self._fail_next_rule = (status, code, message)

    def stall_next(self, n: int, *, seconds: float, record: bool = True) -> None:
        """The next `n` creates answer only after `seconds`: recorded first (record=True, the
        answer is what a timed-out client loses) or not at all (the request was lost)."""
        with self._lock:
            self._stall_next_count = n
            self._stall_rule = (seconds, record)

    def _stall(self) -> tuple[float, bool] | None:
        with self._lock:
            if self._stall_next_count <= 0:
                return None
            self._stall_next_count -= 1
            return self._stall_rule

    def wait_for_callbacks(self, timeout: float = 5.0) -> bool:
        """Wait until every planned status callback has been attempted."""
        deadline = time.monotonic() + timeout
        while self._reports_waiting or self._callbacks.unfinished_tasks:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    # -- the API ----------------------------------------------------------------------------

    def _check_auth(self, header: str | None) -> None:
        if header == self._expected_auth:
            return
        scheme, _, encoded = (header or "").partition(" ")
        try:
            given = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error:
            given = b""
        expected = f"{self.account_sid}:{self.auth_token}".encode()
        if scheme.lower() != "basic" or not hmac.compare_digest(given, expected):
            raise ApiError(401, 20003, "Authenticate")

    def create(self, form: dict[str, str], arrived_at: datetime | None = None) -> dict:
        """Validate and record a message; the Twilio resource, or raise ApiError."""
        with self._lock:
            if self._fail_next_count > 0:
                self._fail_next_count -= 1
                raise ApiError(*self._fail_next_rule)
        to = form.get("To", "")
        sender = form.get("From") or None
        service = form.get("MessagingServiceSid") or None
        body = form.get("Body", "")
        if not to:
            raise ApiError(400, 21604)
        if not E164.fullmatch(to):
            raise ApiError(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if not sender and not service:
            raise ApiError(400, 21603)
        if not body and not form.get("MediaUrl"):
            raise ApiError(400, 21602)
        if len(body) > MAX_BODY_LENGTH:
            raise ApiError(400, 21617)
        now = datetime.now(UTC)
        record = {
            "sid": "SM" + secrets.token_hex(16),
            "to": to,
            "from_": sender,
            "messaging_service_sid": service,
            "body": body,
            "status_callback": form.get("StatusCallback") or None,
            "status": "accepted" if service else "queued",
            "num_segments": num_segments(body) if body else 1,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "arrived_at": arrived_at or now,  # when the request reached us, before latency
        }
        with self._lock:
            rule = self._fail_to.get(to)
            if rule is not None:
                raise ApiError(*rule)
            self._records.append(record)
            self._by_sid[record["sid"]] = record
            same_to = self._by_to.setdefault(to, [])
            same_to.append(record)
            if len(same_to) == 2:
                self._duplicate_to += 1
        if self.status_callbacks and record["status_callback"]:
            self._plan_reports(record)
        return self._resource(record)

    def _count_rejection(self) -> None:
        with self._lock:
            self._rejected += 1

    def _resource(self, record: dict) -> dict:
        uri = f"{self._api_prefix}{self.account_sid}/Messages/{record['sid']}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": record["body"],
            "date_created": rfc2822(record["date_created"]),
            "date_sent": rfc2822(record["date_sent"]),
            "date_updated": rfc2822(record["date_updated"]),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": record["from_"],
            "messaging_service_sid": record["messaging_service_sid"],
            "num_media": "0",
            "num_segments": str(record["num_segments"]),
            "price": None,
            "price_unit": "USD",
            "sid": record["sid"],
            "status": record["status"],
            "subresource_uris": {
                "media": uri + "/Media.json",
                "feedback": uri + "/Feedback.json",
            },
            "to": record["to"],
            "uri": uri + ".json",
        }

    def fetch(self, sid: str, path: str) -> dict:
        """One message resource, or a 20404 ApiError."""
        record = self._by_sid.get(sid)
        if record is None:
            raise ApiError(404, 20404, f"The requested resource {path} was not found")
        return self._resource(record)

    def list_page(self, query: dict[str, str]) -> dict:
        """A Twilio-style page of messages, newest first."""
        try:
            page_size = max(1, min(int(query.get("PageSize", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE))
            page = max(0, int(query.get("Page", 0)))
        except ValueError:
            raise ApiError(400, 20001, "Page and PageSize must be integers") from None
        filters = {
            name: query[name]
            for name in ("To", "From", "DateSent", "DateSent>", "DateSent<")
            if query.get(name)
        }
        bounds = [
            (name[len("DateSent") :], _parse_when(value))
            for name, value in filters.items()
            if name.startswith("DateSent")
        ]
        sender = filters.get("From")
        with self._lock:
            candidates = self._by_to.get(filters["To"], []) if "To" in filters else self._records
            end = len(candidates)
        token = query.get("PageToken", "")
        skip = 0
        if token.startswith("PA") and token[2:].isdigit():
            end = min(end, int(token[2:]))
        else:
            token, skip = "", page * page_size

        found: list[dict] = []
        next_end = None
        for index in range(end - 1, -1, -1):
            record = candidates[index]
            if sender and record["from_"] != sender:
                continue
            if not all(_date_matches(record["date_created"], op, b) for op, b in bounds):
                continue
            if skip:
                skip -= 1
                continue
            if len(found) == page_size:
                next_end = index + 1
                break
            found.append(record)

        base = f"{self._api_prefix}{self.account_sid}/Messages.json"

        def page_uri(number: int, page_token: str = "") -> str:
            params = {**filters, "PageSize": page_size, "Page": number}
            if page_token:
                params["PageToken"] = page_token
            return f"{base}?{urlencode(params)}"

        start = page * page_size
        return {
            "end": start + len(found) - 1 if found else start,
            "first_page_uri": page_uri(0),
            "messages": [self._resource(record) for record in found],
            "next_page_uri": page_uri(page + 1, f"PA{next_end}") if next_end else None,
            "page": page,
            "page_size": page_size,
            "previous_page_uri": page_uri(page - 1) if page else None,
            "start": start,
            "uri": page_uri(page, token),
        }

    def handle_api(
        self, method: str, path: str, query: str, auth: str | None, form
    ) -> tuple[int, dict]:
        """Route one /2010-04-01/Accounts/ request to (status, JSON document)."""
        parts = path[len(self._api_prefix) :].split("/")
        creating = method == "POST" and parts[1:] == ["Messages.json"]
        arrived_at = datetime.now(UTC)
        if self.latency_ms:
            with self._lock:
                self._in_flight += 1
                self._peak_in_flight = max(self._peak_in_flight, self._in_flight)
            time.sleep(self.latency_ms / 1000)  # in this connection's thread: others go on
            with self._lock:
                self._in_flight -= 1
        try:
            self._check_auth(auth)
            if parts[0] != self.account_sid:
                raise ApiError(404, 20404, f"The requested resource {path} was not found")
            if creating:
                stall = self._stall()
                if stall is None:
                    return 201, self.create(form(), arrived_at)
                seconds, record = stall
                created = self.create(form(), arrived_at) if record else None
                time.sleep(seconds)  # the client has given up by now
                if created is None:
                    raise ApiError(504, 20504, "Gateway timeout")
                return 201, created
            if method == "GET" and parts[1:] == ["Messages.json"]:
                return 200, self.list_page(dict(parse_qsl(query, keep_blank_values=True)))
            if method == "GET" and len(parts) == 3 and parts[1] == "Messages":
                sid, dot_json, rest = parts[2].partition(".json")
                if dot_json and not rest:
                    return 200, self.fetch(sid, path)
            raise ApiError(404, 20404, f"The requested resource {path} was not found")
        except ApiError as error:
            if creating:
                self._count_rejection()
            return error.status, error.body

    # -- control endpoints ------------------------------------------------------------------

    def handle_control(self, method: str, path: str, query: str, raw: bytes) -> tuple[int, dict]:
        """The /_fake/ endpoints, for benchmarks and developers."""
        if method == "GET" and path == "/_fake/stats":
            since = dict(parse_qsl(query)).get("since")
            if since:  # a UTC moment: how many arrived from then on
                try:
                    moment = datetime.fromisoformat(since).astimezone(UTC)
                except ValueError:
                    return 400, error_body(400, 20001, f"since: not an ISO moment: {since}")
                return 200, {**self.stats(), "received_since": self.received_since(moment)}
            return 200, self.stats()
        if method == "GET" and path == "/_fake/messages":
            try:
                page = self.list_page(dict(parse_qsl(query)))
            except ApiError as error:
                return error.status, error.body
            return 200, {"messages": page["messages"]}
        if method == "POST" and path == "/_fake/reset":
            self.reset()
            return 200, {"reset": True}
        if method == "POST" and path == "/_fake/fail":
            try:
                rule = json.loads(raw or b"{}")
                if "stall" in rule:
                    self.stall_next(
                        int(rule["stall"]),
                        seconds=float(rule.get("seconds", 2)),
                        record=bool(rule.get("record", True)),
                    )
                elif "next" in rule:
                    self.fail_next(
                        int(rule["next"]),
                        status=int(rule.get("status", 429)),
                        code=int(rule.get("code", 20429)),
                        message=rule.get("message"),
                    )
                else:
                    self.fail(
                        to=str(rule["to"]),
                        status=int(rule.get("status", 400)),
                        code=int(rule.get("code", 21610)),
                        message=rule.get("message"),
                    )
            except (ValueError, KeyError, TypeError, AttributeError):
                body = 'a JSON object: {"to": ..., "status", "code"} or {"next": n, ...}'
                return 400, error_body(400, 20001, f"Expected {body}")
            return 200, {"ok": True}
        return 404, error_body(404, 20404, f"The requested resource {path} was not found")

    # -- status callbacks -------------------------------------------------------------------

    def _plan_reports(self, record: dict) -> None:
        """Called in the request's thread, before the answer is written."""
        code = self._undeliverable.get(record["to"])
        final = "undelivered" if code else "delivered"
        record["error_code"] = code
        later = [final]
        if self.report_before_answer:
            self._advance(record, "sent")
            self._post_callback(record, "sent")
        else:
            later = ["sent", final]
        self._schedule(record, later)
        if self.report_twice:
            self._schedule(record, ["sent", final])

    def _schedule(self, record: dict, statuses: list[str]) -> None:
        with self._due_changed:
            self._reports_waiting += 1
            due = time.monotonic() + self.report_delay_s
            heapq.heappush(self._due, (due, next(self._order), record, statuses))
            self._due_changed.notify()

    def _report_timer(self) -> None:
        """Hands each planned report to the callback workers when its time comes."""
        while True:
            with self._due_changed:
                while not self._due or self._due[0][0] > time.monotonic():
                    wait = self._due[0][0] - time.monotonic() if self._due else None
                    self._due_changed.wait(wait)
                due, _, record, statuses = heapq.heappop(self._due)
            if due < 0:
                return
            self._callbacks.put((record, statuses))

    def _callback_worker(self) -> None:
        while True:
            item = self._callbacks.get()
            try:
                if item is None:
                    return
                record, statuses = item
                for status in statuses:
                    self._advance(record, status)
                    self._post_callback(record, status)
                with self._due_changed:
                    self._reports_waiting -= 1
            finally:
                self._callbacks.task_done()

    def _advance(self, record: dict, status: str) -> None:
        now = datetime.now(UTC)
        with self._lock:
            record["status"] = status
            record["date_updated"] = now
            if record["date_sent"] is None:
                record["date_sent"] = now

    def callback_params(self, record: dict, status: str) -> dict[str, str]:
        """The form Twilio posts to a StatusCallback URL."""
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "MessageSid": record["sid"],
            "MessageStatus": status,
            "SmsSid": record["sid"],
            "SmsStatus": status,
            "To": record["to"],
        }
        if status in ("undelivered", "failed") and record.get("error_code"):
            params["ErrorCode"] = str(record["error_code"])
        if record["from_"]:
            params["From"] = record["from_"]
        if record["messaging_service_sid"]:
            params["MessagingServiceSid"] = record["messaging_service_sid"]
        return params

    def _post_callback(self, record: dict, status: str) -> None:
        url = record["status_callback"]
        params = self.callback_params(record, status)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
            "X-Twilio-Signature": twilio_signature(url, params, self.auth_token),
        }
        try:
            parts = urlsplit(url)
            if parts.scheme == "https":
                connection = http.client.HTTPSConnection(parts.netloc, timeout=CALLBACK_TIMEOUT_S)
            elif parts.scheme == "http":
                connection = http.client.HTTPConnection(parts.netloc, timeout=CALLBACK_TIMEOUT_S)
            else:
                return
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            try:
                connection.request("POST", target, body=urlencode(params), headers=headers)
                response = connection.getresponse()
                response.read()
                with self._lock:
                    answers = self._report_answers
                    answers[response.status] = answers.get(response.status, 0) + 1
            finally:
                connection.close()
        except (OSError, http.client.HTTPException, ValueError) as error:
            # Like Twilio: an unreachable callback is not the sender's problem; counted.
            with self._lock:
                answers = self._report_answers
                answers[type(error).__name__] = answers.get(type(error).__name__, 0) + 1


class _Server(ThreadingHTTPServer):
    """One daemon thread per connection, a deep accept backlog, quiet on client resets."""

    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, address, handler, *, fake: FakeTwilio) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address) -> None:
        pass  # a client hanging up mid-request is routine under load


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive with lean parsing; each response is written with a single send."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    def handle_one_request(self) -> None:
        """Read and answer one request (email.parser for headers would double the cost)."""
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            self.close_connection = True
            return
        request = line.decode("latin-1").split()
        if len(request) != 3 or len(line) > MAX_LINE:
            self._refuse(400, "Malformed request line")
            return
        method, target, version = request
        headers: dict[str, str] = {}
        while True:
            line = self.rfile.readline(MAX_LINE + 1)
            if line in (b"\r\n", b"\n", b""):
                break
            if len(headers) >= MAX_HEADERS or len(line) > MAX_LINE:
                self._refuse(431, "Request header fields too large")
                return
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        keep = headers.get("connection", "").lower()
        self.close_connection = keep == "close" or (version == "HTTP/1.0" and keep != "keep-alive")
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._refuse(411, "Send a Content-Length, not a chunked body")
            return
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            self._refuse(400, "Bad Content-Length")
            return
        if headers.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        raw = self.rfile.read(length) if length > 0 else b""
        if method not in ("GET", "POST"):
            self._reply(405, error_body(405, 20004, f"Method {method} not allowed"))
            return

        fake = self.server.fake
        path, _, query = target.partition("?")
        if path.startswith(fake._api_prefix):

            def form() -> dict[str, str]:
                return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))

            auth = headers.get("authorization")
            status, document = fake.handle_api(method, path, query, auth, form)
        else:
            status, document = fake.handle_control(method, path, query, raw)
        self._reply(status, document)

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True
        self._reply(status, error_body(status, 20001, message))

    def _reply(self, status: int, document: dict) -> None:
        body = json.dumps(document).encode()
        head = [
            f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}",
            "Content-Type: application/json; charset=utf-8",
            f"Content-Length: {len(body)}",
        ]
        if status == 401:
            head.append('WWW-Authenticate: Basic realm="Twilio API"')
        if self.close_connection:
            head.append("Connection: close")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def client_for(fake: FakeTwilio, *, auth_token: str | None = None, pool_size: int = 64):
    """An official twilio.rest.Client whose API requests go to `fake` (auth_token: to test 401)."""
    from requests.adapters import HTTPAdapter
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    http_client = TwilioHttpClient()
    # TwilioHttpClient sizes its pool for https:// only; plain http:// gets requests' 10.
    http_client.session.mount("http://", HTTPAdapter(pool_maxsize=pool_size))
    http_client.session.trust_env = False  # no HTTP_PROXY detour for 127.0.0.1
    client = Client(fake.account_sid, auth_token or fake.auth_token, http_client=http_client)
    client.edge = client.region = None  # TWILIO_EDGE/TWILIO_REGION would rewrite our host
    client.api.base_url = fake.url  # Domain.absolute_url() joins every API path to this
    return client


def main(argv: list[str] | None = None) -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fake_twilio",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    parser.add_argument("--status-callbacks", action="store_true")
    parser.add_argument("--report-before-answer", action="store_true")
    parser.add_argument("--report-delay-ms", type=float, default=0)
    parser.add_argument("--report-twice", action="store_true")
    args = parser.parse_args(argv)
    fake = FakeTwilio(
        account_sid=args.account_sid,
        auth_token=args.auth_token,
        latency_ms=args.latency_ms,
        host=args.host,
        port=args.port,
        status_callbacks=args.status_callbacks,
        report_before_answer=args.report_before_answer,
        report_delay_s=args.report_delay_ms / 1000,
        report_twice=args.report_twice,
    ).start()
    print(f"fake twilio listening on {fake.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
