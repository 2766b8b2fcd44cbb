"""Outgoing webhooks: each event reaches the addresses that listen to it, signed, once; a
receiver that fails is tried again with backoff, then given up; staff can send again."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.webhooks.models import Delivery, Event
from campaign.webhooks.services import MAX_ATTEMPTS, deliveries_due, webhook_create
from campaign.webhooks.tasks import deliveries_retry
from contacts import services
from contacts.models import Source

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that records what it receives and answers with `codes` in turn
    (then 200)."""

    def __init__(self):
        self.received: list[dict] = []
        self.codes: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture
def hooked(receiver, admin_user, eager_tasks):
    return webhook_create(
        url=receiver.url, events=[Event.CONTACT_CREATED, Event.OPT_OUT], actor=admin_user
    )


def new_contact(name="Nina"):
    return services.contact_create(actor=None, source=Source.API, first_name=name)


def test_an_event_reaches_the_webhook_signed(receiver, hooked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nina = new_contact()

    [call] = receiver.received
    headers, body = call["headers"], call["body"]
    expected = hmac.new(
        hooked.secret.encode(),
        headers["X-Terrain-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Terrain-Signature"] == f"sha256={expected}"
    assert headers["X-Terrain-Event"] == "contact.created"
    payload = json.loads(body)
    assert payload["data"]["person"]["identifiers"] == [f"terrain:{nina.uuid}"]
    assert Delivery.objects.get().status == "delivered"


def test_only_the_events_a_webhook_listens_to_are_sent(
    receiver, hooked, lyon_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_set(
            contact=lyon_contact, channel="sms", status="granted", source="manual", actor=None
        )
        services.consent_set(
            contact=lyon_contact, channel="sms", status="withdrawn", source="sms", actor=None
        )

    assert [json.loads(c["body"])["event"] for c in receiver.received] == ["consent.withdrawn"]


def test_a_failing_receiver_is_tried_again_later_then_given_up(
    receiver, hooked, django_capture_on_commit_callbacks
):
    receiver.codes = [500] * (MAX_ATTEMPTS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        new_contact()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    assert deliveries_due() == []  # not before its time
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        Delivery.objects.update(next_attempt_at=timezone.now())
        deliveries_retry()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    ids = {c["headers"]["X-Terrain-Delivery"] for c in receiver.received}
    assert len(receiver.received) == MAX_ATTEMPTS and ids == {str(delivery.uuid)}


def test_a_delivery_a_dead_worker_left_is_sent_again(receiver, hooked):
    new_contact()  # on_commit not run: as if the worker died after claiming it
    Delivery.objects.update(status="sending", claimed_at=timezone.now() - timedelta(minutes=6))

    deliveries_retry()

    assert Delivery.objects.get().status == "delivered" and len(receiver.received) == 1


def test_staff_add_a_webhook_and_send_a_delivery_again(
    receiver, client_as, admin_user, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(admin_user)
    added = client.post(
        reverse("api:webhooks"), {"url": receiver.url, "events": ["contact.created"]}
    )
    assert added.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        new_contact()
    delivery = Delivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("api:delivery_replay", args=[delivery.pk]))

    assert len(receiver.received) == 2
    page = client.get(reverse("api:webhooks")).content.decode()
    assert receiver.url in page and "Reçu par l’adresse" in page


def test_no_webhook_means_no_delivery_and_organizers_cannot_add_one(client_as, organizer_lyon):
    new_contact()
    assert not Delivery.objects.exists()
    assert client_as(organizer_lyon).get(reverse("api:webhooks")).status_code == 403
