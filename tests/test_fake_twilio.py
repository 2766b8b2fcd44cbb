"""The fake Twilio server, driven through the official `twilio` client where it can be."""

import base64
import http.client
import json
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from tests.fake_twilio import FakeTwilio, client_for, num_segments, twilio_signature

SENDER = "+33700000000"
SERVICE = "MG" + "ab" * 16


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def client(fake):
    return client_for(fake)


def call(fake, method, path, *, form=None, payload=None, auth=True):
    """One raw HTTP request to the fake: (status, headers, decoded JSON body)."""
    headers = {}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if payload is not None:
        body = json.dumps(payload)
        headers["Content-Type"] = "application/json"
    if auth:
        token = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    connection = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read())
    finally:
        connection.close()


def messages_path(fake):
    return f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json"


# -- sending ----------------------------------------------------------------------------------


def test_a_message_sent_through_the_official_client_gets_a_sid_and_is_recorded(fake, client):
    message = client.messages.create(to="+33612345678", from_=SENDER, body="Bonjour")

    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert message.status == "queued"
    [recorded] = fake.messages
    assert recorded["sid"] == message.sid
    assert recorded["to"] == "+33612345678"
    assert recorded["from_"] == SENDER
    assert recorded["body"] == "Bonjour"
    assert recorded["date_created"].tzinfo == UTC


def test_the_created_message_looks_like_a_twilio_message_resource(fake):
    status, _, document = call(
        fake, "POST", messages_path(fake), form={"To": "+33612345678", "From": SENDER, "Body": "Hi"}
    )

    assert status == 201
    sid = document["sid"]
    assert document["account_sid"] == fake.account_sid
    assert document["from"] == SENDER
    assert document["messaging_service_sid"] is None
    assert document["num_segments"] == "1"
    assert document["direction"] == "outbound-api"
    assert document["api_version"] == "2010-04-01"
    assert document["date_sent"] is None
    assert document["price"] is None
    assert document["error_code"] is None
    assert document["error_message"] is None
    assert document["date_created"].endswith(" +0000")
    assert parsedate_to_datetime(document["date_created"]).tzinfo is not None
    assert document["uri"] == f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{sid}.json"
    assert "media" in document["subresource_uris"]


def test_a_message_sent_with_a_messaging_service_is_accepted_rather_than_queued(fake, client):
    message = client.messages.create(to="+33612345678", messaging_service_sid=SERVICE, body="Hi")

    assert message.status == "accepted"
    assert message.messaging_service_sid == SERVICE
    assert fake.messages[0]["messaging_service_sid"] == SERVICE


@pytest.mark.parametrize("number", ["0612345678", "+33 6 12 34 56 78", "+1234567", "+" + "1" * 16])
def test_a_bad_number_is_refused_with_twilio_error_21211(fake, client, number):
    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(to=number, from_=SENDER, body="Bonjour")

    assert refused.value.code == 21211
    assert refused.value.status == 400
    assert fake.messages == []


def test_a_missing_body_is_refused_with_twilio_error_21602(fake, client):
    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(to="+33612345678", from_=SENDER)

    assert (refused.value.status, refused.value.code) == (400, 21602)


def test_a_missing_sender_is_refused_with_twilio_error_21603(fake):
    status, _, document = call(fake, "POST", messages_path(fake), form={"To": "+33612345678"})

    assert status == 400
    assert document == {
        "code": 21603,
        "message": "A 'From' phone number is required.",
        "more_info": "https://www.twilio.com/docs/errors/21603",
        "status": 400,
    }


def test_long_and_unicode_bodies_are_counted_in_segments_like_twilio():
    assert num_segments("a" * 160) == 1
    assert num_segments("a" * 161) == 2
    assert num_segments("€" * 80) == 1  # extension characters take two septets
    assert num_segments("€" * 81) == 2
    assert num_segments("ç" * 70) == 1  # not GSM-7: UCS-2
    assert num_segments("ç" * 71) == 2


# -- failure rules ----------------------------------------------------------------------------


def test_a_failure_rule_for_one_number_surfaces_as_its_twilio_code(fake, client):
    fake.fail(to="+33611111111", status=400, code=21610, message="Unsubscribed recipient")

    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(to="+33611111111", from_=SENDER, body="Bonjour")
    client.messages.create(to="+33622222222", from_=SENDER, body="Bonjour")

    assert (refused.value.status, refused.value.code) == (400, 21610)
    assert refused.value.msg.endswith("Unsubscribed recipient")  # the client adds a prefix
    assert [m["to"] for m in fake.messages] == ["+33622222222"]


def test_fail_next_refuses_the_next_request_with_429_then_lets_the_following_one_through(
    fake, client
):
    fake.fail_next(1, status=429, code=20429)

    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(to="+33612345678", from_=SENDER, body="Bonjour")
    message = client.messages.create(to="+33612345678", from_=SENDER, body="Bonjour")

    assert (refused.value.status, refused.value.code) == (429, 20429)
    assert message.sid == fake.messages[0]["sid"]


def test_failure_rules_and_reset_can_be_set_over_http(fake, client):
    assert (
        call(
            fake, "POST", "/_fake/fail", payload={"to": "+33611111111", "code": 21610}, auth=False
        )[0]
        == 200
    )
    assert (
        call(
            fake,
            "POST",
            "/_fake/fail",
            payload={"next": 1, "status": 503, "code": 20500},
            auth=False,
        )[0]
        == 200
    )

    with pytest.raises(TwilioRestException) as first:
        client.messages.create(to="+33622222222", from_=SENDER, body="Bonjour")
    with pytest.raises(TwilioRestException) as second:
        client.messages.create(to="+33611111111", from_=SENDER, body="Bonjour")
    assert (first.value.status, first.value.code) == (503, 20500)
    assert (second.value.status, second.value.code) == (400, 21610)

    assert call(fake, "POST", "/_fake/reset", auth=False)[0] == 200
    client.messages.create(to="+33611111111", from_=SENDER, body="Bonjour")
    assert call(fake, "GET", "/_fake/stats", auth=False)[2] == {
        "received": 1,
        "rejected": 0,
        "unique_to": 1,
        "duplicate_to": 0,
    }


def test_a_malformed_failure_rule_is_refused(fake):
    status, _, document = call(fake, "POST", "/_fake/fail", payload={"code": 1}, auth=False)

    assert status == 400
    assert document["status"] == 400


def test_stats_count_rejections_and_numbers_texted_more_than_once(fake, client):
    for to in ["+33611111111", "+33611111111", "+33611111111", "+33622222222", "+33633333333"]:
        client.messages.create(to=to, from_=SENDER, body="Bonjour")
    client.messages.create(to="+33633333333", from_=SENDER, body="Encore")
    with pytest.raises(TwilioRestException):
        client.messages.create(to="not a number", from_=SENDER, body="Bonjour")

    assert fake.stats() == {"received": 6, "rejected": 1, "unique_to": 3, "duplicate_to": 2}
    fake.reset()
    assert fake.stats() == {"received": 0, "rejected": 0, "unique_to": 0, "duplicate_to": 0}
    assert fake.messages == []


# -- listing and fetching ---------------------------------------------------------------------


def test_listing_filtered_by_recipient_returns_only_their_messages_newest_first(fake, client):
    since = datetime.now(UTC) - timedelta(minutes=1)
    for body in ["one", "two", "three"]:
        client.messages.create(to="+33611111111", from_=SENDER, body=body)
    client.messages.create(to="+33622222222", from_=SENDER, body="other")

    listed = client.messages.list(to="+33611111111", date_sent_after=since)

    assert [m.body for m in listed] == ["three", "two", "one"]
    assert {m.to for m in listed} == {"+33611111111"}


def test_listing_by_date_sent_leaves_out_messages_outside_the_range(fake, client):
    client.messages.create(to="+33611111111", from_=SENDER, body="today")
    now = datetime.now(UTC)

    assert client.messages.list(date_sent_after=now + timedelta(hours=1)) == []
    assert len(client.messages.list(date_sent_before=now - timedelta(hours=1))) == 0
    assert len(client.messages.list(date_sent_after=now - timedelta(hours=1))) == 1
    assert len(client.messages.list(date_sent=now.date().isoformat())) == 1


def test_listing_pages_through_more_messages_than_fit_on_one_page(fake, client):
    sent = {
        client.messages.create(to="+33611111111", from_=SENDER, body=str(n)).sid for n in range(7)
    }

    listed = [m.sid for m in client.messages.list(to="+33611111111", page_size=3)]
    first_page = client.messages.page(to="+33611111111", page_size=3)

    assert len(listed) == 7
    assert set(listed) == sent
    third_page = first_page.next_page().next_page()

    assert [len(list(page)) for page in (first_page, third_page)] == [3, 1]
    assert third_page.next_page_url is None


def test_a_page_has_twilios_shape(fake, client):
    client.messages.create(to="+33611111111", from_=SENDER, body="Bonjour")

    status, _, page = call(fake, "GET", messages_path(fake) + "?To=%2B33611111111&PageSize=20")

    assert status == 200
    assert page["page"] == 0
    assert page["page_size"] == 20
    assert page["start"] == 0
    assert page["end"] == 0
    assert page["next_page_uri"] is None
    assert page["previous_page_uri"] is None
    assert page["first_page_uri"].startswith(messages_path(fake) + "?")
    assert [m["body"] for m in page["messages"]] == ["Bonjour"]


def test_a_message_can_be_fetched_by_sid_and_an_unknown_sid_is_a_20404(fake, client):
    sid = client.messages.create(to="+33611111111", from_=SENDER, body="Bonjour").sid

    assert client.messages(sid).fetch().body == "Bonjour"
    with pytest.raises(TwilioRestException) as missing:
        client.messages("SM" + "0" * 32).fetch()
    assert (missing.value.status, missing.value.code) == (404, 20404)


# -- authentication ---------------------------------------------------------------------------


def test_wrong_credentials_are_refused_with_401(fake):
    intruder = client_for(fake, auth_token="not-the-token")

    with pytest.raises(TwilioRestException) as refused:
        intruder.messages.create(to="+33611111111", from_=SENDER, body="Bonjour")

    assert (refused.value.status, refused.value.code) == (401, 20003)
    assert fake.stats()["rejected"] == 1


def test_a_request_without_credentials_gets_a_twilio_style_401(fake):
    status, headers, document = call(fake, "GET", messages_path(fake), auth=False)

    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Basic")
    assert document["code"] == 20003
    assert document["more_info"] == "https://www.twilio.com/docs/errors/20003"


def test_another_account_sid_in_the_path_is_a_404(fake):
    path = "/2010-04-01/Accounts/AC" + "0" * 32 + "/Messages.json"

    status, _, document = call(fake, "POST", path, form={"To": "+33611111111", "Body": "x"})

    assert (status, document["code"]) == (404, 20404)


# -- signatures and status callbacks ----------------------------------------------------------


def test_the_signature_helper_matches_the_official_request_validator():
    url = "https://mobilise.example.org/sms/status/?campaign=7"
    params = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered", "To": "+33611111111"}
    validator = RequestValidator("s3cret")

    signature = twilio_signature(url, params, "s3cret")

    assert signature == validator.compute_signature(url, params)
    assert validator.validate(url, params, signature)
    assert not validator.validate(url, {**params, "To": "+33622222222"}, signature)


@pytest.fixture
def callback_receiver():
    """A local HTTP server recording every POST: (path, headers, form)."""
    received = []
    arrived = threading.Condition()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            with arrived:
                received.append((self.path, dict(self.headers), form))
                arrived.notify_all()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()

    def wait_for(count, timeout=5.0):
        with arrived:
            arrived.wait_for(lambda: len(received) >= count, timeout)
        return list(received)

    server.wait_for = wait_for
    yield server
    server.shutdown()
    server.server_close()


def test_status_callbacks_arrive_signed_and_pass_request_validation(callback_receiver):
    url = f"http://127.0.0.1:{callback_receiver.server_address[1]}/sms/status/?campaign=7"
    with FakeTwilio(auth_token="s3cret", status_callbacks=True) as fake:
        client = client_for(fake)
        sid = client.messages.create(
            to="+33611111111", from_=SENDER, body="Bonjour", status_callback=url
        ).sid

        callbacks = callback_receiver.wait_for(2)
        assert fake.wait_for_callbacks()
        fetched = client.messages(sid).fetch()

    assert [form["MessageStatus"] for _, _, form in callbacks] == ["sent", "delivered"]
    validator = RequestValidator("s3cret")
    for path, headers, form in callbacks:
        assert path == "/sms/status/?campaign=7"
        assert form["MessageSid"] == form["SmsSid"] == sid
        assert form["SmsStatus"] == form["MessageStatus"]
        assert form["To"] == "+33611111111"
        assert form["From"] == SENDER
        assert form["AccountSid"] == fake.account_sid
        assert form["ApiVersion"] == "2010-04-01"
        assert validator.validate(url, form, headers["X-Twilio-Signature"])
    assert fetched.status == "delivered"
    assert fetched.date_sent is not None


def test_status_callbacks_are_off_unless_asked_for(fake, client, callback_receiver):
    url = f"http://127.0.0.1:{callback_receiver.server_address[1]}/sms/status/"

    client.messages.create(to="+33611111111", from_=SENDER, body="Hi", status_callback=url)

    assert fake.wait_for_callbacks(timeout=0.5)
    assert callback_receiver.wait_for(1, timeout=0.3) == []
    assert fake.messages[0]["status_callback"] == url


# -- latency, concurrency, connections --------------------------------------------------------


def test_latency_is_applied_to_each_request():
    with FakeTwilio(latency_ms=200) as fake:
        client = client_for(fake)
        started = time.monotonic()
        client.messages.create(to="+33611111111", from_=SENDER, body="Bonjour")
        elapsed = time.monotonic() - started

    assert elapsed >= 0.2


def test_concurrent_requests_wait_out_their_latency_together():
    with FakeTwilio(latency_ms=200) as fake:
        client = client_for(fake)

        def send(n):
            return client.messages.create(to=f"+336110000{n:02d}", from_=SENDER, body="Hi").sid

        started = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            sids = list(pool.map(send, range(20)))
        elapsed = time.monotonic() - started

        assert fake.stats()["received"] == 20
        # Together, not one after another: requests were waiting at the same time (how many
        # depends on how fast a loaded machine starts the threads, so no clock is judged).
        assert fake.peak_in_flight > 1
    assert len(set(sids)) == 20
    assert elapsed >= 0.2


def test_a_client_shared_by_threads_gives_each_thread_its_own_message(fake, client):
    def send(n):
        message = client.messages.create(to=f"+33611{n:06d}", from_=SENDER, body=f"n{n}")
        return message.body == f"n{n}" and message.to == f"+33611{n:06d}"

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(send, range(200)))

    assert all(results)
    assert fake.stats()["unique_to"] == 200


def test_responses_keep_the_connection_alive(fake):
    connection = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        connection.request("GET", "/_fake/stats")
        first = connection.getresponse()
        first.read()
        socket_after_first = connection.sock
        connection.request("GET", "/_fake/stats")
        second = connection.getresponse()
        second.read()
        reused = connection.sock is socket_after_first is not None
    finally:
        connection.close()

    assert first.version == 11
    assert first.getheader("Content-Length") is not None
    assert first.getheader("Connection") is None
    assert second.status == 200
    assert reused


def test_stop_closes_the_port():
    fake = FakeTwilio().start()
    port = fake.port
    fake.stop()

    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()


def test_the_command_line_prints_its_url_and_serves():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_twilio", "--port", "0", "--latency-ms", "0"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"fake twilio listening on http://127\.0\.0\.1:(\d+)\n", line)
        assert match, line
        connection = http.client.HTTPConnection("127.0.0.1", int(match[1]), timeout=5)
        connection.request("GET", "/_fake/stats")
        assert json.loads(connection.getresponse().read())["received"] == 0
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=5)
