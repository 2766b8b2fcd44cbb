"""Time the contacts list page at N contacts on PostgreSQL, as an admin and as an organizer.

Seeds the benchmark database first when it holds fewer than N contacts. Each page is
requested through Django's full stack (middleware, session, template), warm, many times;
the figure is the median, with the 95th percentile beside it.

    .venv/bin/python bench/contacts_list.py [--contacts 100000] [--repeat 30]
"""

import argparse
import statistics
import time

from _common import figure, seeded, setup_django

PAGES = [
    ("first page", {}),
    ("page 40", {"page": "40"}),
    ("sorted by name", {"order": "name"}),
    ("name search", {"q": "mart"}),
    # Names of several words: "Le Goff" by any of its words, in any order.
    ("compound name", {"q": "le goff"}),
    ("2nd word of a name", {"q": "goff"}),
    ("first and last", {"q": "goff frederique"}),
    ("one letter", {"q": "m"}),
    ("phone search", {"q": "06 12 34 56 78"}),
    ("sms consent filter", {"consent_channel": "sms"}),
    ("tag filter", {"tag": "1"}),
]


def timed(client, params: dict, repeat: int) -> list[float]:
    client.get("/contacts/", params)  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get("/contacts/", params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    setup_django()
    from django.test import Client, override_settings

    seeded(args.contacts)

    from campaign.models import User

    plain_static = {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    overall = []
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            **plain_static,
        }
    ):
        for username in ["admin", "lyon"]:
            client = Client()
            client.force_login(User.objects.get(username=username))
            for label, params in PAGES:
                samples = timed(client, params, args.repeat)
                overall.extend(samples)
                p95 = statistics.quantiles(samples, n=20)[-1]
                print(
                    f"{username:6} {label:20} median {statistics.median(samples):6.1f} ms"
                    f"  p95 {p95:6.1f} ms"
                )
            first = timed(client, {}, args.repeat)
            figure(f"contacts_list_{username}_median_ms", statistics.median(first))
    figure("contacts_list_all_pages_median_ms", statistics.median(overall))
    figure("contacts_list_all_pages_p95_ms", statistics.quantiles(overall, n=20)[-1])


if __name__ == "__main__":
    main()
