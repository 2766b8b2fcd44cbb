"""The duplicates' task: thin, safe to run twice."""

from celery import shared_task

from .services import duplicates_refresh


@shared_task(name="contacts.duplicates_refresh", time_limit=3600)
def duplicates_refresh_task() -> int:
    """After each import, and daily: record new pairs of possible duplicates."""
    return duplicates_refresh()
