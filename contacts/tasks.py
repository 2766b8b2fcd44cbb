"""Contacts' background tasks: thin, take IDs, safe to run twice. Each lives in its
sub-package, next to the services it runs (a service that queues one stays in its layer);
Celery finds an app's tasks in its tasks module, so they are gathered here."""

from .dedupe.tasks import duplicates_refresh_task
from .funnel.tasks import funnel_refresh_task
from .imports.tasks import contact_import_task
from .privacy.tasks import retention_apply_task

__all__ = [
    "contact_import_task",
    "duplicates_refresh_task",
    "funnel_refresh_task",
    "retention_apply_task",
]
