"""A worker killed in the middle of an import leaves nothing half-imported, and running the
import again imports every row exactly once."""

import os
import signal
import time

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from contacts.imports.run import contact_import_run
from contacts.imports.selectors import import_progress_key
from contacts.imports.services import contact_import_create, contact_import_start
from contacts.imports.tasks import contact_import_task
from contacts.models import Contact, ContactEmail, ImportJob

ROWS = 150_000


def big_file() -> bytes:
    lines = ["prenom;nom;email;telephone;code postal"]
    lines += [f"P{i};N{i};p{i}@exemple.fr;06{i:08d};69001" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.real_worker
def test_a_worker_killed_mid_import_leaves_nothing_and_a_rerun_imports_once(celery_worker_queue):
    from campaign.celery import app

    job = contact_import_create(actor=None, file=ContentFile(big_file()), original_name="big.csv")
    contact_import_start(job=job, enqueue=False)
    contact_import_task.apply_async(args=[job.pk], queue=celery_worker_queue)

    deadline = time.monotonic() + 120
    while (cache.get(import_progress_key(job.pk)) or {}).get("phase") not in {
        "creating",
        "completing",
        "channels",
    }:
        assert time.monotonic() < deadline, "the import never reached the merge"
        time.sleep(0.02)
    os.kill(app.worker_process.pid, signal.SIGKILL)
    app.worker_process.wait(timeout=10)

    # Redelivered (acks_late), the import runs again. The killed worker's database session
    # holds the job's lock until PostgreSQL notices it is gone and rolls it back; until then
    # a rerun steps aside, as it would for a live worker.
    deadline = time.monotonic() + 60
    job = contact_import_run(job_id=job.pk, find_duplicates=False)
    while job.status == ImportJob.Status.RUNNING:
        assert time.monotonic() < deadline, "the killed worker's lock was never released"
        time.sleep(0.5)
        job = contact_import_run(job_id=job.pk, find_duplicates=False)
    assert job.status == ImportJob.Status.DONE
    # Every row created by the rerun: the killed worker committed nothing.
    assert job.created_count == ROWS
    assert Contact.objects.count() == ROWS
    assert ContactEmail.objects.count() == ROWS
