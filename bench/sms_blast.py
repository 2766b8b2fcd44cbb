"""Send a text blast to N people through real Celery workers, Redis and PostgreSQL, against a
local fake Twilio with a chosen latency, and compare with a bare async HTTP client.

    .venv/bin/python bench/sms_blast.py [--recipients 100000] [--latency-ms 0 200] [--workers 2]

For each latency: messages/s end to end (from "send" to the last SID recorded), what the
fake received, duplicates (numbers that got more than one text: must be 0), and the ceiling
(the same number of requests posted straight to the fake by a bare asyncio client). Then a
smaller blast with the sender limited to 10 segments/s: the measured rate and its error.

Then two promises under real delivery:
- quiet hours to the second: the same 10 segments/s, a blast whose quiet window begins a few
  seconds after it starts; `sms_sent_in_quiet_hours` counts the texts that reached the fake
  from that second on (must be 0);
- no delivery report lost: gunicorn serves the status webhook, the fake posts "sent" before
  answering each send (before the worker has read the SID) and "delivered" 100 ms later;
  `sms_reports_lost` counts the texts left short of "delivered" (must be 0).
"""

import argparse
import asyncio
import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

from _common import ROOT, bench_env, figure, fresh_database, manage, served, setup_django

PORT = 8799
WEB_PORT = 8797  # gunicorn, for Twilio's delivery reports
SID = "AC" + "b" * 32
TOKEN = "bench-token"  # noqa: S105 - the fake Twilio's, on loopback
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def start_fake(latency_ms: int, *options: str) -> subprocess.Popen:
    fake = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_twilio", "--port", str(PORT)]
        + ["--latency-ms", str(latency_ms), "--account-sid", SID, "--auth-token", TOKEN]
        + list(options),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    fake.stdout.readline()  # "fake twilio listening on …"
    return fake


def fake_stats(since: datetime | None = None) -> dict:
    query = (
        "?" + urllib.parse.urlencode({"since": since.astimezone(UTC).isoformat()}) if since else ""
    )
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/_fake/stats{query}") as response:
        return json.load(response)


def worker_env(per_second: int) -> dict:
    return {
        **bench_env(),
        "REDIS_URL": REDIS_URL,
        "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_FROM": "Terrain",
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{PORT}",
        "SMS_SEGMENTS_PER_SECOND": str(per_second),
        "SMS_QUIET_HOURS": "",
        "SITE_URL": f"http://127.0.0.1:{WEB_PORT}",
    }


def start_web() -> subprocess.Popen:
    """gunicorn serving the status webhook, with the fake's token to check signatures."""
    manage("collectstatic", "--noinput", "-v", "0")  # production serves hashed static files
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "campaign.wsgi:application"]
        + ["--bind", f"127.0.0.1:{WEB_PORT}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=worker_env(10),
    )
    return served(web, WEB_PORT)


def start_workers(count: int, per_second: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "campaign", "worker", "--concurrency", "1"]
            + ["-n", f"bench{i}@%h", "--loglevel", "WARNING", "--without-mingle"]
            + ["--without-gossip"],
            cwd=ROOT,
            env=worker_env(per_second),
            stdout=subprocess.DEVNULL,
        )
        for i in range(count)
    ]


def prepare(recipients: int) -> None:
    """`recipients` contacts, each with SMS consent and a mobile of their own."""
    fresh_database()
    manage("seed_demo", "--contacts", str(recipients))
    from django.db import connection

    with connection.cursor() as c:
        c.execute("DELETE FROM sms_message; DELETE FROM sms_blast")
        c.execute(  # the demo's texting campaign holds a segment
            "DELETE FROM sms_inbound; DELETE FROM sms_surveyanswer; DELETE FROM sms_conversation;"
            "DELETE FROM sms_cannedanswer; DELETE FROM sms_surveyquestion;"
            "DELETE FROM sms_p2pcampaign_tags; DELETE FROM sms_p2pcampaign"
        )
        c.execute("DELETE FROM contacts_segmentmember; DELETE FROM contacts_segment")
        c.execute("DELETE FROM contacts_contactphone")
        c.execute(
            "INSERT INTO contacts_contactphone (contact_id, raw, e164, kind, is_primary, sms_blocked) "
            "SELECT id, '06' || lpad(id::text, 8, '0'), '+336' || lpad(id::text, 8, '0'), "
            "'mobile', true, '' FROM contacts_contact"
        )
        c.execute("DELETE FROM contacts_consent WHERE channel = 'sms'")
        c.execute(
            "INSERT INTO contacts_consent (contact_id, channel, status, source, wording, changed_at) "
            "SELECT id, 'sms', 'granted', 'manual', '', now() FROM contacts_contact"
        )
        c.execute("UPDATE contacts_contact SET erased_at = NULL, objected_at = NULL")
        c.execute("ANALYZE")
    connection.close()


def blast_for(limit: int) -> int:
    """A static list of the first `limit` contacts, and a draft blast to it; returns its id."""
    code = (
        "from contacts.models import Segment, SegmentMember, Contact; "
        "from actions.sms.services.blasts import blast_save; from campaign.models import User; "
        "u = User.objects.filter(role='admin').first(); "
        f"s = Segment.objects.create(name='bench {limit}', is_static=True); "
        "SegmentMember.objects.bulk_create([SegmentMember(segment=s, contact_id=i) for i in "
        f"Contact.objects.order_by('pk').values_list('pk', flat=True)[:{limit}]], batch_size=5000); "
        "b = blast_save(actor=u, name='bench', segment=s, body='Bonjour {prenom}, meeting jeudi 19h'); "
        "print(b.pk)"
    )
    return int(manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])


def start_blast(blast_id: int) -> None:
    from django.db.models import F

    from actions.sms.models import Blast
    from actions.sms.tasks import blast_fan_out_task

    # Who reaches whom is the starter's scope: the bench starts it as its author (an admin).
    Blast.objects.filter(pk=blast_id).update(status="scheduled", started_by=F("created_by"))
    blast_fan_out_task.delay(blast_id)


def run_blast(blast_id: int, expected: int, timeout: float) -> tuple[float, int, float, float]:
    """Start the blast; returns seconds to the last SID, messages sent, first and last sent."""
    from django.db import connection

    started = time.perf_counter()
    start_blast(blast_id)
    sent = 0
    while time.perf_counter() - started < timeout:
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*), extract(epoch from min(sent_at)), extract(epoch from max(sent_at)) "
                "FROM sms_message WHERE blast_id = %s AND sid IS NOT NULL",
                [blast_id],
            )
            sent, first, last = c.fetchone()
        connection.close()
        if sent >= expected:
            break
        time.sleep(0.2)
    return time.perf_counter() - started, sent, float(first or 0), float(last or 0)


async def _ceiling(count: int, connections: int) -> float:
    auth = base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    path = f"/2010-04-01/Accounts/{SID}/Messages.json"
    left = list(range(count))

    async def one_connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        while left:
            n = left.pop()
            body = f"To=%2B337{n:08d}&From=Terrain&Body=Bonjour+meeting+jeudi".encode()
            writer.write(
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    return count / (time.perf_counter() - started)


def ceiling(count: int, latency_ms: int) -> float:
    """Enough connections that the latency, not their number, is the limit."""
    return asyncio.run(_ceiling(count, 64 if latency_ms < 10 else 512))


def quiet_hours_kept(recipients: int, after_s: float) -> tuple[int, int]:
    """A blast whose quiet window begins `after_s` seconds after it starts; returns the
    texts sent before the window and those that reached the fake once it had begun."""
    from zoneinfo import ZoneInfo

    from actions.sms.models import Blast, Message

    blast_id = blast_for(recipients)
    boundary = (datetime.now(UTC) + timedelta(seconds=after_s + 1)).replace(microsecond=0)
    local = boundary.astimezone(ZoneInfo("Europe/Paris"))
    Blast.objects.filter(pk=blast_id).update(
        quiet_start=local.time(), quiet_end=(local + timedelta(hours=1)).time()
    )
    start_blast(blast_id)
    time.sleep(max(0.0, (boundary - datetime.now(UTC)).total_seconds()) + 3)
    in_flight = Message.objects.filter(blast_id=blast_id, status="sending")
    deadline = time.monotonic() + 60
    while in_flight.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    sent = Message.objects.filter(blast_id=blast_id, sid__isnull=False).count()
    late = fake_stats(since=boundary)["received_since"]
    Blast.objects.filter(pk=blast_id).update(status="cancelled")
    return sent, late


def reports_kept(recipients: int, timeout: float) -> tuple[int, dict]:
    """A blast whose every delivery report is posted back; returns the texts left short of
    "delivered" once the fake has posted them all, and our answers by HTTP status."""
    from actions.sms.models import Message

    blast_id = blast_for(recipients)
    run_blast(blast_id, recipients, timeout=timeout)
    deadline = time.monotonic() + timeout
    while (stats := fake_stats())["reports_waiting"] and time.monotonic() < deadline:
        time.sleep(0.2)
    lost = Message.objects.filter(blast_id=blast_id).exclude(status="delivered").count()
    return lost, stats["report_answers"]


def stop(processes) -> None:
    for p in processes:
        p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=int, nargs="+", default=[0, 200])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate-recipients", type=int, default=300)
    parser.add_argument("--quiet-after-s", type=float, default=5.0)
    parser.add_argument("--reports-recipients", type=int, default=3000)
    args = parser.parse_args()
    import redis

    os.environ["REDIS_URL"] = REDIS_URL  # this process queues the blast on the workers' Redis
    os.environ["SMS_QUIET_HOURS"] = ""  # blasts made here would take the night's quiet hours
    setup_django()
    prepare(max(args.recipients, args.rate_recipients, args.reports_recipients))
    for latency in args.latency_ms:
        redis.Redis.from_url(REDIS_URL).flushdb()
        fake = start_fake(latency)
        workers = start_workers(args.workers, per_second=1_000_000)
        try:
            time.sleep(3)  # workers up
            blast_id = blast_for(args.recipients)
            seconds, sent, first, last = run_blast(blast_id, args.recipients, timeout=1800)
            stats = fake_stats()
            urllib.request.urlopen(
                urllib.request.Request(f"http://127.0.0.1:{PORT}/_fake/reset", method="POST")
            )
            bare = ceiling(args.recipients, latency)
        finally:
            stop(workers + [fake])
        rate = sent / seconds
        print(
            f"latency {latency} ms: {sent} texts in {seconds:.1f} s = {rate:,.0f}/s end to end; "
            f"fake received {stats['received']}, duplicates {stats['duplicate_to']}; "
            f"bare async client: {bare:,.0f} requests/s"
        )
        figure(f"sms_msgs_per_s_{latency}ms", rate)
        figure(f"sms_ceiling_per_s_{latency}ms", bare)
        figure("sms_duplicates", stats["duplicate_to"])

    redis.Redis.from_url(REDIS_URL).flushdb()
    fake = start_fake(0)
    workers = start_workers(args.workers, per_second=10)
    try:
        time.sleep(3)
        blast_id = blast_for(args.rate_recipients)
        seconds, sent, first, last = run_blast(blast_id, args.rate_recipients, timeout=600)
        before, late = quiet_hours_kept(args.rate_recipients, args.quiet_after_s)
    finally:
        stop(workers + [fake])
    measured = (sent - 1) / (last - first) if last > first else 0.0
    error = abs(measured - 10) / 10 * 100
    print(f"sender limited to 10 segments/s: measured {measured:.2f}/s ({error:.1f} % off)")
    figure("sms_rate_error_pct", error)
    print(
        f"quiet hours beginning {args.quiet_after_s:.0f} s into a blast: {before} texts sent "
        f"before, {late} reached the provider once the window had begun"
    )

    redis.Redis.from_url(REDIS_URL).flushdb()
    options = ["--status-callbacks", "--report-before-answer", "--report-delay-ms", "100"]
    fake = start_fake(0, *options)
    web = start_web()
    workers = start_workers(args.workers, per_second=200)
    try:
        time.sleep(3)
        lost, answers = reports_kept(args.reports_recipients, timeout=600)
    finally:
        stop(workers + [web, fake])
    print(
        f"{args.reports_recipients} texts, each reported before its answer was read and "
        f"100 ms later: {lost} short of delivered; our answers by HTTP status: {answers}"
    )
    figure("sms_sent_in_quiet_hours", late)
    figure("sms_reports_lost", lost)


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
