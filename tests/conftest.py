"""Shared personas: an admin, an organizer of Lyon, an organizer of Paris, a volunteer."""

import pytest

from campaign.models import Territory, User
from contacts import services
from contacts.models import Source


@pytest.fixture
def lyon_1er(db) -> Territory:
    return Territory.objects.create(kind=Territory.Kind.COMMUNE, code="69381", name="Lyon 1er")


@pytest.fixture
def paris_11e(db) -> Territory:
    return Territory.objects.create(kind=Territory.Kind.COMMUNE, code="75111", name="Paris 11e")


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_user(
        username="alice", password="correct horse battery", role=User.Role.ADMIN, is_staff=True
    )


@pytest.fixture
def organizer_lyon(lyon_1er) -> User:
    user = User.objects.create_user(
        username="karim", password="correct horse battery", role=User.Role.ORGANIZER
    )
    user.territories.set([lyon_1er])
    return user


@pytest.fixture
def organizer_paris(paris_11e) -> User:
    user = User.objects.create_user(
        username="sophie", password="correct horse battery", role=User.Role.ORGANIZER
    )
    user.territories.set([paris_11e])
    return user


@pytest.fixture
def volunteer(db) -> User:
    return User.objects.create_user(
        username="lucas", password="correct horse battery", role=User.Role.VOLUNTEER
    )


@pytest.fixture
def lyon_contact(db):
    return services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name="Léa",
        last_name="Garnier",
        postal_code="69001",
        commune="Lyon 1er arrondissement",
        insee_code="69381",
        bureau_code="69381-0101",
        emails=[services.EmailInput(address="lea.garnier@example.fr")],
        phones=[services.PhoneInput(number="06 12 34 56 78")],
    )


@pytest.fixture
def paris_contact(db):
    return services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name="Hugo",
        last_name="Lefèvre",
        postal_code="75011",
        commune="Paris 11e arrondissement",
        insee_code="75111",
        emails=[services.EmailInput(address="hugo.lefevre@example.fr")],
        phones=[services.PhoneInput(number="+33 7 98 76 54 32")],
    )


@pytest.fixture
def client_as(client):
    """Log a persona in: `client_as(organizer_lyon).get(...)`."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


def pytest_configure(config):
    """Tests hash passwords with MD5: production's PBKDF2 costs a second's fraction per
    persona, which no test is about; production keeps Django's default."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each process keeps public pages a few seconds in memory; each test starts without."""
    from django.core.cache import caches

    caches["local"].clear()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Production hashes static file names at collectstatic time, which tests do not run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class Workers:
    """Starts real Celery worker processes on Redis, reading the test database."""

    def __init__(self, settings, database_url: str) -> None:
        self.settings = settings
        self.database_url = database_url
        self.processes = []

    def start(self, *, queues: list[str], env: dict | None = None, pool: str = "solo"):
        import os
        import socket
        import subprocess
        import sys
        import time
        import uuid
        from pathlib import Path

        from campaign.celery import app

        name = f"test-{uuid.uuid4().hex[:8]}"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "campaign", "worker", f"--pool={pool}"]
            + ["-Q", ",".join(queues), "-n", f"{name}@%h", "--loglevel=WARNING"]
            + ["--without-mingle", "--without-gossip"],
            cwd=Path(__file__).resolve().parent.parent,
            env={
                **os.environ,
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.settings.REDIS_URL,
                "MEDIA_ROOT": str(self.settings.MEDIA_ROOT),
                **(env or {}),
            },
        )
        self.processes.append(worker)
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5, destination=[f"{name}@{socket.gethostname()}"]):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        return worker

    def stop_all(self) -> None:
        import subprocess

        for worker in self.processes:
            worker.terminate()
        for worker in self.processes:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()


@pytest.fixture
def celery_workers(transactional_db, settings, tmp_path):
    """Real Celery worker processes on Redis, reading the test database (PostgreSQL only).

    A worker is a separate process, so the test data must be committed (transactional_db)
    and the worker pointed at the test database by URL; it shares the test's MEDIA_ROOT.
    """
    from django.db import connection

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs REDIS_URL: a real worker runs on Redis")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share SQLite's in-memory test database")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    database_url = (
        f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    workers = Workers(settings, database_url)
    try:
        yield workers
    finally:
        workers.stop_all()


@pytest.fixture
def celery_worker_queue(celery_workers):
    """One real worker on a queue of its own; yields the queue's name."""
    import uuid

    from campaign.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    app.worker_process = celery_workers.start(queues=[queue])  # for tests that kill it
    yield queue


@pytest.fixture
def eager_tasks():
    """Run tasks in-process, even where REDIS_URL is set. Tests wrap the request in
    django_capture_on_commit_callbacks(execute=True), as tasks are queued on commit."""
    from campaign.celery import app

    keys = ("task_always_eager", "task_eager_propagates")
    before = {key: app.conf[key] for key in keys}
    app.conf.update(dict.fromkeys(keys, True))
    try:
        yield
    finally:
        app.conf.update(before)


@pytest.fixture
def run_import(db, settings, tmp_path):
    """Import file content (bytes or text) as a person would, and return the finished job."""
    from django.core.files.base import ContentFile

    from contacts.imports.run import contact_import_run
    from contacts.imports.services import contact_import_create, contact_import_start

    settings.MEDIA_ROOT = tmp_path / "media"

    def run(content, *, name="contacts.csv", encoding="utf-8", actor=None, mapping=None, **kwargs):
        data = content.encode(encoding) if isinstance(content, str) else content
        job = contact_import_create(
            actor=actor, file=ContentFile(data), original_name=name, **kwargs
        )
        contact_import_start(job=job, mapping=mapping, enqueue=False)
        return contact_import_run(job_id=job.pk)

    return run


@pytest.fixture
def fake_twilio(settings):
    """A local server speaking Twilio's REST API, and the Twilio backend pointed at it."""
    from actions.sms.backends import sms_backend
    from tests.fake_twilio import FakeTwilio

    with FakeTwilio() as fake:
        settings.TWILIO_ACCOUNT_SID = fake.account_sid
        settings.TWILIO_AUTH_TOKEN = fake.auth_token
        settings.TWILIO_FROM = "Terrain"
        settings.TWILIO_MESSAGING_SERVICE_SID = ""
        settings.TWILIO_API_BASE_URL = fake.url
        settings.SMS_BACKEND = "actions.sms.backends.TwilioBackend"
        settings.SMS_SEGMENTS_PER_SECOND = 1000
        sms_backend.cache_clear()
        yield fake
        sms_backend.cache_clear()


@pytest.fixture
def api(client):
    """The test client calling the API with a new token of `user` (named `name`), in the
    OSDI header or as Authorization: `api(organizer_lyon).get("/api/v1/people")`."""
    from campaign.api.tokens import api_token_create

    def call(user: User, *, name: str = "tests", header: str = "OSDI-API-Token"):
        _token, key = api_token_create(user=user, name=name)
        if header == "OSDI-API-Token":
            client.defaults["HTTP_OSDI_API_TOKEN"] = key
        else:
            client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
        return client

    return call


@pytest.fixture
def fundraising_page(db):
    """A published fundraising page, "Financez", for a candidate under a spending limit."""
    from tests.factories import DriveFactory

    return DriveFactory(entity__capped=True, slug="don", title="Financez", goal_cents=100_000)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py), and Django's SMTP backend
    pointed at it: what the code sends arrives there, parsed, in `smtp_server.messages`."""
    from tests.smtp_server import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_PROVIDER = "smtp"
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        yield server
