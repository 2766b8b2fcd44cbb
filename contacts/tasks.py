"""Contacts' background tasks: thin, take IDs, safe to run twice."""

from celery import shared_task

from .imports.services import contact_import_run


@shared_task(
    name="contacts.import_run", acks_late=True, time_limit=3 * 3600, soft_time_limit=3 * 3600 - 60
)
def contact_import_task(job_id: int) -> None:
    contact_import_run(job_id=job_id)


@shared_task(name="contacts.retention_apply", time_limit=6 * 3600)
def retention_apply_task() -> dict[str, int]:
    """Daily (Celery beat): anonymize what the retention rules say is due."""
    from .privacy.services import retention_apply

    return retention_apply()


@shared_task(name="contacts.duplicates_refresh", time_limit=3600)
def duplicates_refresh_task() -> int:
    """After each import, and daily: record new pairs of possible duplicates."""
    from .dedupe.services import duplicates_refresh

    return duplicates_refresh()


@shared_task(name="contacts.funnel_refresh", time_limit=1800)
def funnel_refresh_task() -> dict:
    """After stage events (once for many close together), and every minute (Celery beat):
    the dashboard's summary tables catch up with the people whose stages changed."""
    from .funnel.services import funnel_refresh

    return funnel_refresh()
