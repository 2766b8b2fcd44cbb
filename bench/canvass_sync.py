"""Door to door on PostgreSQL: one sync of 500 queued results, and the walk-list page's
weight with its scripts.

    .venv/bin/python bench/canvass_sync.py [--doors 500] [--repeat 5]

Builds a turf of about `--doors` doors from demo contacts (their own streets), gives it to
a volunteer, then through the full Django stack (test client, logged in, CSRF checked):
- POSTs `--doors` queued results in one sync to /api/canvass/turfs/<id>/visits, `--repeat`
  times with new ids (the median is the figure), then once more with the same ids (all
  duplicates, nothing recorded twice);
- GETs the walk-list page and the static files it loads (CSS, canvass.js, the service
  worker), and adds up their size as sent: the page as the server sends it to a browser
  that accepts gzip, static files gzipped as whitenoise serves them.
"""

import argparse
import gzip
import json
import statistics
import time
import uuid

from _common import ROOT, figure, manage, seeded, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--doors", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--contacts", type=int, default=20000)
    args = parser.parse_args()
    setup_django()
    seeded(args.contacts)
    manage("collectstatic", "--noinput", "-v", "0")  # production serves hashed static files

    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from actions.canvassing import services
    from actions.canvassing.models import CanvassCampaign, Door, Resident, Turf, Visit
    from campaign.models import User

    admin = User.objects.get(username="admin")
    volunteer = User.objects.get(username="benevole")
    Visit.objects.all().delete()
    Resident.objects.all().delete()
    Door.objects.all().delete()
    Turf.objects.all().delete()
    CanvassCampaign.objects.all().delete()
    campaign = services.canvass_campaign_save(
        actor=admin,
        name="Bench",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(30),
    )
    services.canvass_campaign_set_status(campaign=campaign, actor=admin, status="active")
    started = time.perf_counter()
    turfs = services.turfs_cut(
        campaign=campaign,
        actor=admin,
        name="Lyon",
        kind="postal_code",
        values=["69001", "69002", "69003", "69004", "69005", "69006", "69007", "69008", "69009"],
        max_doors=args.doors,
    )
    cut_s = time.perf_counter() - started
    turf = max(turfs, key=lambda t: t.doors_count)
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    doors = list(Door.objects.filter(turf=turf).values_list("pk", flat=True))
    residents = dict(Resident.objects.filter(turf=turf).values_list("door_id", "contact_id"))
    print(
        f"{len(turfs)} turfs cut from Lyon in {cut_s:.1f} s; the bench turf has {len(doors)} doors"
    )

    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    page = client.get(f"/missions/turfs/{turf.pk}/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.status_code == 200, page.status_code
    token = client.cookies["csrftoken"].value
    url = f"/api/canvass/turfs/{turf.pk}/visits"
    codes = ["talked", "not_home", "refused", "come_back"]

    def batch() -> list[dict]:
        now = timezone.now().isoformat()
        return [
            {
                "id": str(uuid.uuid4()),
                "door": door,
                "contact": residents.get(door) if i % 4 == 0 else None,
                "result": codes[i % 4],
                "support_level": (i % 5) + 1 if i % 4 == 0 else None,
                "wants_to_volunteer": i % 20 == 0,
                "answers": {},
                "visited_at": now,
            }
            for i, door in enumerate(doors[: args.doors])
        ]

    def sync(items: list[dict]) -> tuple[float, dict]:
        body = json.dumps({"visits": items})
        started = time.perf_counter()
        response = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        return elapsed, response.json()

    timings = []
    for _ in range(args.repeat):
        items = batch()
        elapsed, report = sync(items)
        assert len(report["recorded"]) == len(items), report["rejected"][:3]
        timings.append(elapsed)
    replay_ms, replay = sync(items)
    assert len(replay["duplicates"]) == len(items) and not replay["recorded"]
    total = Visit.objects.filter(turf=turf).count()
    print(
        f"sync of {len(items)} results: "
        + ", ".join(f"{t:.0f}" for t in timings)
        + f" ms (median {statistics.median(timings):.0f}); the same batch again: "
        f"{replay_ms:.0f} ms, all {len(replay['duplicates'])} known, {total} visits in all"
    )

    html = page.content
    static = ROOT / "static"
    parts = {
        f"page (HTML, {page.get('Content-Encoding', 'not compressed')})": len(html),
        "app.css (gzip)": len(gzip.compress((static / "css/app.css").read_bytes())),
        "canvass.js (gzip)": len(gzip.compress((static / "js/canvass.js").read_bytes())),
        "service worker (gzip)": len(gzip.compress((static / "js/canvass_sw.js").read_bytes())),
    }
    for name, size in parts.items():
        print(f"  {name}: {size / 1024:.1f} KB")
    print(f"walk list of {len(doors)} doors: {sum(parts.values()) / 1024:.1f} KB transferred")
    figure("canvass_sync_500_ms", statistics.median(timings))
    figure("walklist_kb", sum(parts.values()) / 1024)


if __name__ == "__main__":
    main()
