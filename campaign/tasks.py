"""Cross-cutting tasks."""

from celery import shared_task
from django.db import connection


@shared_task(name="campaign.ping")
def ping() -> dict:
    """Answers from a worker with the database it reaches: broker, worker and DB are wired."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"pong": True, "database": str(connection.settings_dict["NAME"])}


# Outgoing webhooks (found by the worker through this module).
from .webhooks.tasks import deliveries_retry, deliveries_send  # noqa: E402, F401
