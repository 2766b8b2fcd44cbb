"""Sign a petition under load through gunicorn on PostgreSQL, against a one-row-insert ceiling.

    .venv/bin/python bench/petition_load.py [--seconds 20] [--clients 16] [--workers 4]

Starts gunicorn and a Celery worker on Redis (the production path: the page records a
signature and a worker merges it into contacts), then clients on loopback that each GET the
petition page, read its CSRF token, and POST the form with a new person, for a fixed time.
Prints sustained signatures/s, p50/p99 latency of the POST, how long the worker took to
merge what was left once the load stopped, and signatures in the database against answers
2xx/3xx (they must match). Then the same load against the ceiling, the least a Django form
can do: GET a page with its CSRF token, POST it to insert one row, redirect. For
comparison it also prints a bare csrf-exempt POST inserting one row (the ceiling of the
first runs, which counted one request against the petition's two).
"""

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from _common import ROOT, bench_env, figure, fresh_database, manage, served

PORT = 8765
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def server_env() -> dict:
    return {
        **bench_env(),
        "DJANGO_SETTINGS_MODULE": "bench.ceiling_settings",
        "PETITION_SIGNATURES_PER_IP_PER_MINUTE": "100000000",
        "SECURE_COOKIES": "false",
        "REDIS_URL": BENCH_REDIS_URL,
    }


def start_worker() -> subprocess.Popen:
    """One Celery worker process, as docker-compose runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "campaign", "worker", "--concurrency", "1"]
        + ["--loglevel", "WARNING", "--without-mingle", "--without-gossip"],
        cwd=ROOT,
        env=server_env(),
        stdout=subprocess.DEVNULL,
    )


def count(model: str) -> int:
    return int(
        manage(
            "shell",
            "--no-imports",
            "-c",
            f"from actions.petitions.models import {model}; print({model}.objects.count())",
        ).strip()
    )


def start_gunicorn(workers: int) -> subprocess.Popen:
    env = server_env()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "campaign.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    return served(process, PORT)


def client_loop(kind: str, seconds: float, index: int, results: list, ok: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        email = f"c{index}-{n}-{time.monotonic_ns()}@exemple.fr"
        try:
            if kind == "bare":
                form = urllib.parse.urlencode({"email": email})
                headers = {"Content-Type": "application/x-www-form-urlencoded"}
                path = "/bench/ceiling-bare/"
            else:  # a real form submission: GET the page, POST it with its CSRF token
                path = "/p/bench/" if kind == "petition" else "/bench/ceiling/"
                conn.request("GET", path)
                page = conn.getresponse()
                body = page.read()
                cookie = page.getheader("Set-Cookie", "").split(";")[0]
                token = TOKEN.search(body).group(1).decode()
                fields = {"csrfmiddlewaretoken": token, "email": email}
                if kind == "petition":
                    fields |= {
                        "first_name": "Bench",
                        "last_name": f"N{index}",
                        "postal_code": "69001",
                        "consent_email": "on",
                    }
                form = urllib.parse.urlencode(fields)
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "Referer": f"http://127.0.0.1:{PORT}{path}",
                }
            started = time.perf_counter()
            conn.request("POST", path, body=form, headers=headers)
            response = conn.getresponse()
            response.read()
            results.append((time.perf_counter() - started) * 1000)
            if response.status in (201, 302):
                ok.append(1)
        except (OSError, http.client.HTTPException, AttributeError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)


def run_load(kind: str, seconds: float, clients: int) -> tuple[float, list[float], int]:
    results: list[float] = []
    ok: list[int] = []
    threads = [
        threading.Thread(target=client_loop, args=(kind, seconds, i, results, ok))
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(ok) / elapsed, results, len(ok)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    fresh_database()
    manage("collectstatic", "--noinput", "-v", "0")  # production serves hashed static files
    manage(
        "shell",
        "--no-imports",
        "-c",
        (
            "from actions.petitions.models import Petition; "
            "Petition.objects.create(slug='bench', title='Bench', text='Bench', goal=100000, status='published'); "
            "from django.db import connection; "
            "connection.cursor().execute('CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY, email text)')"
        ),
    )
    import redis

    redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
    worker = start_worker()
    server = start_gunicorn(args.workers)
    try:
        rate, latencies, answered = run_load("petition", args.seconds, args.clients)
        stopped = time.perf_counter()
        waiting_at_stop = count("PendingSignature")
        while count("PendingSignature") and time.perf_counter() - stopped < 120:
            time.sleep(0.2)
        merge_lag = time.perf_counter() - stopped
        ceiling_rate, ceiling_latencies, _ = run_load("ceiling", args.seconds, args.clients)
        bare_rate, _bare_latencies, _ = run_load("bare", args.seconds, args.clients)
    finally:
        server.send_signal(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        worker.wait(timeout=30)
    stored = count("Signature")
    p50 = statistics.median(latencies)
    p99 = statistics.quantiles(latencies, n=100)[98]
    print(
        f"petition: {rate:.0f} signatures/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, answered {answered}, stored {stored}"
    )
    print(
        f"waiting to be merged when the load stopped: {waiting_at_stop}, "
        f"all merged {merge_lag:.1f} s later"
    )
    print(
        f"ceiling (a form inserting one row, GET then POST): {ceiling_rate:.0f} submissions/s, "
        f"p50 {statistics.median(ceiling_latencies):.0f} ms"
    )
    print(f"a bare POST inserting one row: {bare_rate:.0f} requests/s")
    figure("petition_vs_ceiling_ratio", rate / ceiling_rate)
    figure("petition_vs_bare_post_ratio", rate / bare_rate)
    figure("petition_p99_ms", p99)
    figure("petition_lost_or_doubled", abs(stored - answered))
    figure("petition_signatures_per_s", rate)
    figure("petition_merge_lag_s", merge_lag)


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
