"""Privacy's task: thin, safe to run twice."""

from celery import shared_task

from .services import retention_apply


@shared_task(name="contacts.retention_apply", time_limit=6 * 3600)
def retention_apply_task() -> dict[str, int]:
    """Daily (Celery beat): anonymize what the retention rules say is due."""
    return retention_apply()
