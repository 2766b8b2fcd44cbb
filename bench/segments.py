"""Time segment counts at N contacts on PostgreSQL (target: under a second at 1M).

    .venv/bin/python bench/segments.py [--contacts 1000000] [--repeat 5]

Seeds the benchmark database when it holds fewer than N contacts, then counts typical
segments as an admin and as an organizer of Lyon, the way the builder's live count does.
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


if __name__ == "__main__":
    main()
