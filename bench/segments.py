"""Time segment counts at N contacts on PostgreSQL (target: under a second at 1M).

    .venv/bin/python bench/segments.py [--contacts 1000000] [--repeat 5]

Seeds the benchmark database when it holds fewer than N contacts, then counts typical
segments as an admin and as an organizer of Lyon, the way the builder's live count does.
The "what they did" filters run over actions written in bulk first: door visits for 30 %
of the people (a third of them with a support level), gifts from 5 %, text replies from 5 %,
beside the demo's petition signatures.
"""

import argparse
import statistics
import time

from _common import figure, seeded, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()

    from campaign.models import Territory, User
    from contacts.models import Tag
    from contacts.segments.filters import SegmentFilters
    from contacts.segments.selectors import segment_preview_contacts

    seeded(args.contacts)
    petition = actions_written(args.contacts)
    tags = list(Tag.objects.order_by("name").values_list("pk", flat=True))
    lyon_1 = Territory.objects.get(code="69381", kind="commune").pk
    segments = {
        "everyone": SegmentFilters(),
        "sms_consent": SegmentFilters(consent={"sms": "granted"}),
        "tag_and_not_tag": SegmentFilters(tags_any=tags[:2], tags_none=tags[2:4]),
        "territory_email_petition": SegmentFilters(
            territories=[lyon_1], consent={"email": "granted"}, sources=["petition"]
        ),
        "never_asked_sms_recent": SegmentFilters(
            consent={"sms": "unknown"}, added_after="2026-01-01"
        ),
        "signed_petition": SegmentFilters(actions={"signed_petition": {"petition": petition}}),
        "door_talked": SegmentFilters(actions={"door_result": {"result": "talked"}}),
        "support_4_or_more_sms": SegmentFilters(
            consent={"sms": "granted"}, actions={"support_level": {"level": "4"}}
        ),
        "donated_50_euros": SegmentFilters(actions={"donated": {"cents": "5000"}}),
        "replied_to_text_30d": SegmentFilters(actions={"replied_to_text": {"within": "30"}}),
        "volunteered": SegmentFilters(actions={"volunteered": {"within": "any"}}),
    }
    worst = 0.0
    for username in ["admin", "lyon"]:
        user = User.objects.get(username=username)
        for name, filters in segments.items():
            samples = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                n = segment_preview_contacts(user=user, filters=filters).count()
                samples.append((time.perf_counter() - started) * 1000)
            median = statistics.median(samples)
            worst = max(worst, max(samples))
            print(
                f"{username:6} {name:28} {n:>9,} contacts  median {median:7.1f} ms  max {max(samples):7.1f} ms"
            )
    figure("segment_count_worst_ms", worst)


def actions_written(contacts: int) -> int:
    """Door visits, gifts and text replies for a share of the contacts, written once per
    database with set-based SQL; returns the demo petition's id."""
    from django.db import connection
    from django.utils import timezone

    from actions.canvassing.models import CanvassCampaign, Door, Turf, Visit
    from actions.donations.models import Entity
    from actions.petitions.models import Petition

    petition = Petition.objects.order_by("pk").values_list("pk", flat=True).first()
    if Visit.objects.filter(note="bench").exists():
        return petition
    campaign = CanvassCampaign.objects.create(
        name="bench", starts_on=timezone.localdate(), ends_on=timezone.localdate(), status="active"
    )
    turf = Turf.objects.create(campaign=campaign, name="bench")
    door = Door.objects.create(turf=turf, building="bench", street="bench")
    entity = Entity.objects.create(name="bench", kind="candidate")
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            """INSERT INTO canvassing_visit (id, campaign_id, turf_id, door_id, contact_id,
                 volunteer_id, result, support_level, wants_to_volunteer, wants_to_give,
                 answers, note, visited_at, recorded_at)
               SELECT gen_random_uuid(), %s, %s, %s, id, NULL,
                 (ARRAY['talked','not_home','refused','come_back'])[1 + id %% 4],
                 CASE WHEN id %% 3 = 0 THEN 1 + (id / 3) %% 5 END, id %% 17 = 0, false,
                 '{}', 'bench', now() - (id %% 90) * interval '1 day', now()
               FROM contacts_contact WHERE id %% 10 < 3""",
            [campaign.pk, turf.pk, door.pk],
        )
        c.execute(
            """INSERT INTO donations_donation (entity_id, contact_id, kind, amount_cents,
                 refund_cents, method, status, received_on, provider, provider_txn_id,
                 natural_person, french_or_resident, note, created_at, monthly,
                 utm_source, utm_medium, utm_campaign)
               SELECT %s, id, 'gift', 1000 + ((id / 20) %% 20) * 500, 0, 'card', 'paid',
                 current_date, 'manual', '', true, true, '', now(), false, '', '', ''
               FROM contacts_contact WHERE id %% 20 = 1""",
            [entity.pk],
        )
        c.execute(
            """INSERT INTO sms_inbound (sid, from_number, to_number, body, kind, contact_id,
                 received_at)
               SELECT 'SMbench' || id, '+33600000000', '', 'Oui', 'reply', id,
                 now() - (id %% 60) * interval '1 day'
               FROM contacts_contact WHERE id %% 20 = 2""",
            [],
        )
        c.execute("ANALYZE")
    print(f"actions written for {contacts:,} contacts in {time.perf_counter() - started:.1f} s")
    return petition


if __name__ == "__main__":
    main()
