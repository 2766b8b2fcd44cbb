import pytest
from django.core.files.base import ContentFile

from contacts.imports.services import (
    contact_import_create,
    contact_import_run,
    contact_import_start,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_import(db):
    """Import file content (bytes or text) as a person would, and return the finished job."""

    def run(content, *, name="contacts.csv", encoding="utf-8", actor=None, mapping=None, **kwargs):
        data = content.encode(encoding) if isinstance(content, str) else content
        job = contact_import_create(
            actor=actor, file=ContentFile(data), original_name=name, **kwargs
        )
        contact_import_start(job=job, mapping=mapping, enqueue=False)
        return contact_import_run(job_id=job.pk)

    return run
