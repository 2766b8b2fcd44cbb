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
from campaign.webhooks.sending import MAX_ATTEMPTS, deliveries_due
from campaign.webhooks.services import webhook_create
from campaign.webhooks.tasks import deliveries_retry
from contacts import services
from contacts.models import Source

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that records what it receives and answers with `codes` in turn
    (then 200), sending `location` along when set."""

    def __init__(self):
        self.received: list[dict] = []
        self.codes: list[int] = []
        self.location = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings):
    # The receiver listens on 127.0.0.1, which webhooks refuse unless told otherwise.
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
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
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        new_contact()
    after = timezone.now()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    # Tried again a minute after the failed attempt, however long that attempt took.
    minute = timedelta(minutes=1)
    assert before + minute <= delivery.next_attempt_at <= after + minute
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


# Webhooks reach only public addresses (SSRF) ------------------------------------------------


@pytest.fixture
def local_receiver():
    """A receiver on 127.0.0.1 with the default rule (private targets refused)."""
    server = Receiver()
    yield server
    server.server.shutdown()


def a_stored_webhook(url, actor):
    """A webhook saved before the rule (or by hand in the database): delivery checks again."""
    from campaign.webhooks.models import Webhook

    return Webhook.objects.create(
        url=url, events=[Event.CONTACT_CREATED], secret="s" * 64, created_by=actor
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://240.0.0.1/hook",
        "http://[::1]/hook",
        "http://[::]/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::1]/hook",
        "http://[ff02::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://[64:ff9b::a00:1]/hook",
        "http://localhost:8000/hook",
        "http://127.1/hook",
        "http://2130706433/hook",
    ],
)
def test_an_admin_cannot_add_a_webhook_to_a_private_or_local_address(client_as, admin_user, url):
    response = client_as(admin_user).post(
        reverse("api:webhooks"), {"url": url, "events": ["contact.created"]}
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("url", code="private")
    from campaign.webhooks.models import Webhook

    assert not Webhook.objects.exists()


def test_the_service_refuses_a_private_address_whoever_calls_it(admin_user):
    from django.core.exceptions import ValidationError

    from campaign.webhooks.models import Webhook

    with pytest.raises(ValidationError):
        webhook_create(url="http://169.254.169.254/", events=["contact.created"], actor=admin_user)
    assert not Webhook.objects.exists()


def test_the_admin_site_refuses_a_private_address(client):
    from campaign.models import User
    from campaign.webhooks.models import Webhook

    client.force_login(User.objects.create_superuser(username="root", password="x" * 12))
    response = client.post(
        reverse("admin:campaign_webhook_add"),
        {"url": "http://10.0.0.5/hook", "events": '["contact.created"]', "is_active": "on"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("url", code="private")
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "localhost", "[::ffff:127.0.0.1]"],
)
def test_a_delivery_to_a_private_address_is_refused_and_given_up(
    local_receiver, admin_user, eager_tasks, django_capture_on_commit_callbacks, host
):
    port = local_receiver.server.server_port
    a_stored_webhook(f"http://{host}:{port}/hook", admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        new_contact()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, None)
    assert delivery.error.startswith("Refused:")
    assert local_receiver.received == []


def test_a_name_that_resolves_to_loopback_after_it_was_saved_is_refused_at_delivery(
    local_receiver, admin_user, eager_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    """Checked when saved (then public), checked again when sent (now 127.0.0.1)."""
    import socket

    real_getaddrinfo = socket.getaddrinfo
    answer = {"hooks.example.org": "93.184.216.34"}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answer:
            return real_getaddrinfo(answer[host], port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    port = local_receiver.server.server_port
    webhook_create(
        url=f"http://hooks.example.org:{port}/hook", events=["contact.created"], actor=admin_user
    )
    answer["hooks.example.org"] = "127.0.0.1"

    with django_capture_on_commit_callbacks(execute=True):
        new_contact()

    assert Delivery.objects.get().status == "failed"
    assert local_receiver.received == []


def test_a_delivery_connects_to_the_address_it_checked_not_a_second_lookup(
    receiver, admin_user, eager_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    """DNS rebinding: the name answers 127.0.0.1 (where the receiver is) to the first
    lookup and 127.0.0.2 (nothing there) afterwards; only a connection to the checked
    address reaches the receiver."""
    import socket

    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            host = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return real_getaddrinfo(host, port, *args, **kwargs)

    port = receiver.server.server_port
    a_stored_webhook(f"http://rebind.test:{port}/hook", admin_user)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    with django_capture_on_commit_callbacks(execute=True):
        new_contact()

    assert Delivery.objects.get().status == "delivered"
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed(
    receiver, hooked, eager_tasks, django_capture_on_commit_callbacks
):
    elsewhere = Receiver()
    try:
        receiver.codes = [302]
        receiver.location = elsewhere.url
        with django_capture_on_commit_callbacks(execute=True):
            new_contact()
    finally:
        elsewhere.server.shutdown()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("pending", 302)
    assert elsewhere.received == []
