"""Rebuild the funnel's stage events from the actions already in the tables."""

import time

from django.core.management.base import BaseCommand

from contacts.funnel.services import funnel_rebuild


class Command(BaseCommand):
    help = (
        "Record the funnel stages people reached by actions already in the database (data "
        "from before the funnel, or loaded in bulk), then rewrite every entry and summary. "
        "Safe to run again: an event keeps its earliest time."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = funnel_rebuild(progress=lambda line: self.stdout.write(f"  {line}"))
        added = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{added} stage events written in {time.monotonic() - started:.1f} s "
                f"({len(counts)} sources)"
            )
        )
