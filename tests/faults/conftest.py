import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]


def through(proxy: TcpProxy, url: str) -> str:
    """`url` (postgres://… or redis://…) with its host and port replaced by the proxy's."""
    scheme, rest = url.split("://", 1)
    credentials, _, location = rest.rpartition("@")
    path = location.split("/", 1)[1] if "/" in location else ""
    login = f"{credentials}@" if credentials else ""
    return f"{scheme}://{login}127.0.0.1:{proxy.port}/{path}"


@pytest.fixture
def database_proxy(celery_workers):
    """A proxy in front of the test database, and its URL for the processes to start."""
    from django.db import connection

    db = connection.settings_dict
    with TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as proxy:
        proxy.database_url = through(proxy, celery_workers.database_url)
        yield proxy
    # The sessions the proxy reset end on the server a moment later; the test database
    # can only be dropped once they have.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def redis_proxy(celery_workers, settings):
    """A proxy in front of the tests' Redis, and the REDIS_URL through it."""
    host_port = settings.REDIS_URL.split("://", 1)[1].split("/", 1)[0].rpartition("@")[2]
    host, _, port = host_port.partition(":")
    with TcpProxy(host, int(port or 6379)) as proxy:
        proxy.redis_url = through(proxy, settings.REDIS_URL)
        yield proxy


@pytest.fixture
def gunicorn(settings):
    """start(env): the app under gunicorn on a free port, as production serves it; the
    base URL. Stopped after the test."""
    import socket

    processes = []

    def start(env: dict) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "campaign.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.served_settings",
                "REDIS_URL": settings.REDIS_URL,
                "SECURE_COOKIES": "false",
                "SECURE_SSL_REDIRECT": "false",
                "DEBUG": "false",
                **env,
            },
        )
        processes.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                return f"127.0.0.1:{port}"
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
