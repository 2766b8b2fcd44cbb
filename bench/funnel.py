"""Time the funnel dashboard on PostgreSQL at campaign scale (target: p95 under 200 ms warm).

    .venv/bin/python bench/funnel.py [--contacts 1000000] [--actions 5000000] [--repeat 10]

Seeds the benchmark database with N demo contacts when it holds fewer, then writes
`--actions` actions in bulk, spread over the two years the contacts came in: petition
signatures (20 %), doors knocked (30 %, some by 200 volunteers whose accounts have a
contact), texts sent (35 %), replies (8 %) and gifts (7 %). `rebuild_funnel` then records
the stages from them (timed). The dashboard is read warm, for the whole campaign (an
admin: summary rows for everyone), for Lyon's organizer (the rows of nine arrondissements)
and for one polling station (counted live), over 4 weeks, 12 weeks, 12 months and all
time; each read is the selector alone and the whole home page through Django.
"""

import argparse
import statistics
import time

from _common import figure, manage, seeded, setup_django

MARK = "bench-funnel"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--actions", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup_django()

    seeded(args.contacts)
    manage("collectstatic", "--noinput", "-v", "0")  # production serves hashed static files
    if write_actions(args.actions):
        started = time.perf_counter()
        from django.core.management import call_command

        call_command("rebuild_funnel", stdout=open("/dev/null", "w"))  # noqa: SIM115
        rebuild = time.perf_counter() - started
        print(f"rebuild_funnel: {rebuild:.1f} s")
        figure("funnel_rebuild_s", rebuild)
    sizes()
    read_dashboards(args.repeat)


def write_actions(total: int) -> bool:
    """The actions, written once per database with set-based SQL. False when already there."""
    from datetime import time as clock

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from actions.canvassing.models import CanvassCampaign, Door, Turf
    from actions.donations.models import Entity
    from actions.petitions.models import Petition
    from actions.sms.models import Blast
    from campaign.models import User
    from contacts.models import Contact, Segment

    if Petition.objects.filter(slug__startswith=MARK).exists():
        return False
    contacts = Contact.objects.count()
    share = {key: round(total * part) for key, part in SHARES.items()}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        # When: between the day the person came in and now, skewed towards the start.
        def when(salt: int) -> str:
            share = f"power(((c.id * {salt} + g * 7919) %% 1000) / 1000.0, 2)"
            return f"c.source_at + (now() - c.source_at) * {share}"

        petitions = max(1, -(-share["signatures"] // contacts))  # one signature each
        for k in range(petitions):
            petition = Petition.objects.create(
                slug=f"{MARK}-{k}", title=f"Pétition {k + 1}", text="…", status="published"
            )
            c.execute(
                f"""INSERT INTO petitions_signature (petition_id, contact_id, signed_at,
                     utm_source, utm_medium, utm_campaign, referrer, embedded, answers,
                     confirmed_at, pending_consents)
                   SELECT %s, c.id, {when(13)}, '', '', '', '', false, '{{}}',
                     {when(13)}, '[]'
                   FROM contacts_contact c, (SELECT {k} AS g) s
                   WHERE (c.id * 7 + {k}) %% %s < %s""",
                [petition.pk, 1000, round(1000 * share["signatures"] / petitions / contacts)],
            )
        campaign = CanvassCampaign.objects.create(
            name=MARK, starts_on="2025-01-01", ends_on="2027-01-01", status="active"
        )
        turf = Turf.objects.create(campaign=campaign, name=MARK)
        door = Door.objects.create(turf=turf, building=MARK, street=MARK)
        volunteers = User.objects.bulk_create(
            User(
                username=f"{MARK}-{i}",
                password=make_password(None),
                role=User.Role.VOLUNTEER,
                contact_id=pk,
            )
            for i, pk in enumerate(
                Contact.objects.filter(user_account__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:200]
            )
        )
        first_volunteer = min(v.pk for v in volunteers)
        rounds = max(1, -(-share["doors"] // (contacts // 2)))
        c.execute(
            f"""INSERT INTO canvassing_visit (id, campaign_id, turf_id, door_id, contact_id,
                 volunteer_id, result, support_level, wants_to_volunteer, wants_to_give,
                 answers, note, visited_at, recorded_at)
               SELECT gen_random_uuid(), %s, %s, %s, c.id, %s + (c.id + g) %% 200,
                 (ARRAY['talked','not_home','refused','come_back'])[1 + (c.id + g) %% 4],
                 CASE WHEN (c.id + g) %% 3 = 0 THEN 1 + (c.id / 3 + g) %% 5 END,
                 (c.id + g) %% 29 = 0, false, '{{}}', %s, {when(7)}, now()
               FROM contacts_contact c, generate_series(1, %s) g
               WHERE c.id %% 2 = 0 AND (c.id / 2 + g) %% %s < %s""",
            [
                campaign.pk,
                turf.pk,
                door.pk,
                first_volunteer,
                MARK,
                rounds,
                1000,
                round(1000 * share["doors"] / rounds / (contacts // 2)),
            ],
        )
        segment = Segment.objects.create(name=MARK, is_static=True)
        blasts = max(1, -(-share["texts"] // contacts))
        for k in range(blasts):
            blast = Blast.objects.create(
                name=f"{MARK}-{k}",
                segment=segment,
                body="Bonjour {prenom}",
                status="done",
                quiet_start=clock(21),
                quiet_end=clock(9),
            )
            c.execute(
                f"""INSERT INTO sms_message (blast_id, contact_id, "to", body, segments, status,
                     error_code, attempts, sent_at, updated_at)
                   SELECT %s, c.id, '+336' || lpad(c.id::text, 8, '0'), 'Bonjour', 1,
                     'delivered', '', 1, {when(3)}, now()
                   FROM contacts_contact c, (SELECT {k} AS g) s
                   WHERE (c.id * 3 + {k}) %% %s < %s""",
                [blast.pk, 1000, round(1000 * share["texts"] / blasts / contacts)],
            )
        c.execute(
            f"""INSERT INTO sms_inbound (sid, from_number, to_number, body, kind, contact_id,
                 received_at)
               SELECT '{MARK}-' || c.id, '', '', 'Oui', 'reply', c.id, {when(5)}
               FROM contacts_contact c, (SELECT 1 AS g) s WHERE c.id %% %s < %s""",
            [1000, round(1000 * share["replies"] / contacts)],
        )
        entity = Entity.objects.create(name=MARK, kind="candidate")
        c.execute(
            f"""INSERT INTO donations_donation (entity_id, contact_id, kind, amount_cents,
                 refund_cents, method, status, received_on, provider, provider_txn_id,
                 natural_person, french_or_resident, note, created_at, monthly, utm_source,
                 utm_medium, utm_campaign)
               SELECT %s, c.id, 'gift', 1000 + (c.id %% 20) * 500, 0, 'card', 'paid',
                 CAST({when(11)} AS date), 'manual', '', true, true, %s, now(), false,
                 '', '', ''
               FROM contacts_contact c, (SELECT 2 AS g) s WHERE (c.id * 11) %% %s < %s""",
            [entity.pk, MARK, 1000, round(1000 * share["gifts"] / contacts)],
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"{total:,} actions written in {time.perf_counter() - started:.1f} s")
    return True


SHARES = {"signatures": 0.20, "doors": 0.30, "texts": 0.35, "replies": 0.08, "gifts": 0.07}


def sizes() -> None:
    from django.db import connection

    tables = [
        "contacts_contact",
        "petitions_signature",
        "canvassing_visit",
        "sms_message",
        "sms_inbound",
        "donations_donation",
        "contacts_stageevent",
        "contacts_funnelentry",
        "contacts_funnelday",
        "contacts_funnelcohort",
        "contacts_funnelgap",
        "contacts_activityday",
    ]
    with connection.cursor() as c:
        for table in tables:
            c.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            print(f"  {table:26} {c.fetchone()[0]:>12,}")


def read_dashboards(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from campaign.models import Territory, User
    from contacts.funnel.forms import FunnelFilterForm
    from contacts.funnel.selectors import funnel_dashboard
    from contacts.scope import territories_visible_to

    station, _ = Territory.objects.get_or_create(
        kind="bureau", code="69381-0001", defaults={"name": "Lyon 1er, bureau 1"}
    )
    bureau_user, created = User.objects.get_or_create(
        username=f"{MARK}-station", defaults={"role": User.Role.ORGANIZER}
    )
    if created:
        bureau_user.territories.set([station])
    users = {
        "admin": User.objects.get(username="admin"),
        "lyon": User.objects.get(username="lyon"),
        "station": bureau_user,
    }
    ranges = ["4w", "12w", "52w", "all"]
    page_samples: dict[str, list[float]] = {name: [] for name in users}
    queries: dict[str, set[int]] = {name: set() for name in users}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        for preset in ranges:  # warm the caches
            client.get("/", {"range": preset}, HTTP_HOST="127.0.0.1")
        for preset in ranges:
            form = FunnelFilterForm({"range": preset}, territories=territories_visible_to(user))
            selector = []
            for _ in range(repeat):
                started = time.perf_counter()
                funnel_dashboard(user=user, period=form.chosen_period())
                selector.append((time.perf_counter() - started) * 1000)
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get("/", {"range": preset}, HTTP_HOST="127.0.0.1")
                    page_samples[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
                queries[name].add(len(captured.captured_queries))
            print(
                f"{name:8} {preset:4} selector median {statistics.median(selector):6.1f} ms"
                f"  page median {statistics.median(page_samples[name][-repeat:]):6.1f} ms"
                f"  max {max(page_samples[name][-repeat:]):6.1f} ms"
                f"  queries {sorted(queries[name])}"
            )
    for name in users:
        print(f"{name:8} page p95 {p95(page_samples[name]):6.1f} ms, queries {queries[name]}")
    figure("funnel_p95_ms", p95(page_samples["admin"]))
    figure("funnel_p95_ms_organizer", p95(page_samples["lyon"]))
    figure("funnel_p95_ms_polling_station", p95(page_samples["station"]))
    figure("funnel_queries", max(queries["admin"]))
    figure("funnel_queries_organizer", max(queries["lyon"]))
    refresh_times()


def refresh_times() -> None:
    from django.utils import timezone

    from contacts.funnel.services import stage_reach
    from contacts.funnel.stages import Stage
    from contacts.funnel.summaries import funnel_refresh
    from contacts.models import Contact

    funnel_refresh()  # catch up, then time one refresh after one new action
    someone = Contact.objects.order_by("pk").values_list("pk", flat=True).first()
    stage_reach(contact_id=someone, stage=Stage.ENGAGED, at=timezone.now())
    started = time.perf_counter()
    funnel_refresh()
    figure("funnel_refresh_ms", (time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    funnel_refresh(full=True)
    figure("funnel_full_refresh_s", time.perf_counter() - started)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
