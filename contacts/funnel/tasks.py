"""The funnel's task: thin, safe to run twice."""

from celery import shared_task

from .summaries import funnel_refresh


@shared_task(name="contacts.funnel_refresh", time_limit=1800)
def funnel_refresh_task() -> dict:
    """After stage events (once for many close together), and every minute (Celery beat):
    the dashboard's summary tables catch up with the people whose stages changed."""
    return funnel_refresh()
