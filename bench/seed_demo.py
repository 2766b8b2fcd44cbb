"""Time `seed_demo --contacts N` on a fresh PostgreSQL database (target: 100k in under 60 s).

.venv/bin/python bench/seed_demo.py [--contacts 100000]
"""

import argparse
import time

from _common import figure, fresh_database, manage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    fresh_database()
    started = time.perf_counter()
    manage("seed_demo", "--contacts", str(args.contacts))
    seconds = time.perf_counter() - started
    print(
        f"seed_demo --contacts {args.contacts}: {seconds:.1f} s"
        f" ({args.contacts / seconds:,.0f} contacts/s)"
    )
    figure("seed_demo_seconds", seconds)
    figure("seed_demo_contacts_per_s", args.contacts / seconds)


if __name__ == "__main__":
    main()
