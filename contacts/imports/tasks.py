"""The imports' task: thin, takes the job's id, safe to run twice. Its name stays the one
queued messages carry."""

from celery import shared_task

from .run import contact_import_run


@shared_task(
    name="contacts.import_run", acks_late=True, time_limit=3 * 3600, soft_time_limit=3 * 3600 - 60
)
def contact_import_task(job_id: int) -> None:
    contact_import_run(job_id=job_id)
