"""A real Celery worker, started on Redis, runs our tasks against the same database."""

import pytest
from django.db import connection

from campaign.tasks import ping


@pytest.mark.real_worker
def test_a_real_worker_answers_over_redis_and_reads_the_test_database(celery_worker_queue):
    result = ping.apply_async(queue=celery_worker_queue).get(timeout=30)
    assert result == {"pong": True, "database": connection.settings_dict["NAME"]}


def test_without_redis_tasks_run_eagerly_in_process(settings, db):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("REDIS_URL is set: tasks go to the broker")
    assert ping.delay().get() == {"pong": True, "database": connection.settings_dict["NAME"]}


@pytest.mark.real_worker
def test_a_real_worker_runs_an_import_and_a_second_delivery_changes_nothing(celery_worker_queue):
    from django.core.files.base import ContentFile

    from contacts.imports.services import contact_import_create, contact_import_start
    from contacts.imports.tasks import contact_import_task
    from contacts.models import Contact, ImportJob

    job = contact_import_create(
        actor=None,
        file=ContentFile("prenom;nom;email\nLéa;Garnier;lea@example.fr\n".encode()),
        original_name="f.csv",
    )
    contact_import_start(job=job, enqueue=False)
    contact_import_task.apply_async(args=[job.pk], queue=celery_worker_queue).get(timeout=60)
    contact_import_task.apply_async(args=[job.pk], queue=celery_worker_queue).get(timeout=60)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 1
    assert Contact.objects.count() == 1
