"""Shared by the benchmarks: their own PostgreSQL database, Django set up on it, figures."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/terrain_bench"
)


def bench_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": BENCH_DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get(
            "SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop"
        ),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # Benchmarks log staff in with force_login, which gives no second factor; the pages'
        # cost is what they measure (the code page is one query more, once per session).
        "TWO_FACTOR_REQUIRED": "false",
    }


def manage(*args: str) -> str:
    """Run manage.py against the benchmark database; returns its output."""
    run = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def fresh_database() -> None:
    """Drop and recreate the benchmark database, then migrate it."""
    import psycopg2
    from psycopg2 import sql

    name = BENCH_DATABASE_URL.rsplit("/", 1)[1]
    admin_url = BENCH_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    manage("migrate", "--noinput")


def seeded(contacts: int) -> None:
    """Make sure the benchmark database holds at least `contacts` demo contacts, migrated."""
    from django.db import connection

    from contacts.models import Contact

    try:
        count = Contact.objects.count()
    except Exception:  # no table yet: a new database
        count = 0
    connection.close()
    if count < contacts:
        fresh_database()
        manage("seed_demo", "--contacts", str(contacts))
    else:
        manage("migrate", "--noinput")  # a database kept from an earlier run
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def setup_django() -> None:
    """Configure Django in this process on the benchmark database."""
    os.environ.update(bench_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def figure(name: str, value: float) -> None:
    print(
        f"figure: {name} value={value:.2f}"
        if isinstance(value, float)
        else f"figure: {name} value={value}"
    )


def served(process, port: int, *, seconds: float = 30):
    """`process` once it answers GET /healthz on `port`; killed, and the bench stopped, if
    it does not within `seconds`."""
    import http.client
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")
