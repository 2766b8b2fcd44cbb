"""Writes for imports: create a job from a file, check its mapping, queue it (contacts.imports.run
runs it, from a worker or the shell)."""

from collections.abc import Sequence
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import Territory, User
from campaign.ownership import territory_choices_for
from contacts.models import ImportJob

from .mapping import CUSTOM_PREFIX, IGNORE, forbidden_columns, guess_mapping, validate_mapping
from .reader import UnreadableFile, read_table
from .tasks import contact_import_task

# A row is matched to a person by one of these (cleaning: email, phone, or names and address).
IDENTIFYING = {"email", "phone", "phone_2", "last_name", "birth_name"}


def _checked_mapping(
    mapping: dict[str, str], headers: list[str], *, keep_others: bool = False
) -> dict[str, str]:
    """Every column once, forbidden ones ignored; with `keep_others`, each column left on
    "do not import" becomes a custom field of its own name."""
    mapping = {h: mapping.get(h, IGNORE) for h in headers}
    if keep_others:
        mapping = {h: CUSTOM_PREFIX + h if t == IGNORE else t for h, t in mapping.items()}
    for header in forbidden_columns(headers):
        mapping[header] = IGNORE  # never stored, whatever was asked
    problems = validate_mapping(mapping, headers)
    if problems:
        raise ApplicationError(" ".join(problems), field="mapping")
    return mapping


def contact_import_create(
    *,
    actor: User | None,
    file: File,
    original_name: str,
    source_detail: str = "",
    tags: Sequence[str] = (),
    territory: Territory | None = None,
) -> ImportJob:
    """Store an uploaded file as an import to check: its columns get an automatic mapping.
    `territory` is where an organizer's new contacts without any address go (one of theirs)."""
    if territory is not None and (
        actor is None
        or actor.is_admin
        or not territory_choices_for(actor).filter(pk=territory.pk).exists()
    ):
        raise ApplicationError(_("Choose one of your territories."), field="territory")
    job = ImportJob(
        original_name=original_name[:255],
        source_detail=(source_detail or original_name)[:255],
        tags=sorted({t.strip() for t in tags if t.strip()}),
        created_by=actor,
        territory=territory,
    )
    job.file.save(Path(original_name).name or "import.csv", file, save=False)
    # The request reads the column names and a first row only: the worker reads the rest.
    try:
        table = read_table(job.file.path, limit=1)
        if not table.row_count and not table.bad_lines:
            raise UnreadableFile(_("The file has column names but no rows."))
    except UnreadableFile as exc:
        job.file.delete(save=False)
        raise ApplicationError(str(exc), field="file") from None
    job.mapping = _checked_mapping(guess_mapping(table.headers), table.headers)
    job.save()
    return job


@transaction.atomic
def contact_import_start(
    *,
    job: ImportJob,
    mapping: dict[str, str] | None = None,
    keep_other_columns: bool = False,
    enqueue: bool = True,
) -> ImportJob:
    """Confirm the mapping of an import to check, and queue it for a worker.
    `keep_other_columns` keeps every column not mapped (and not forbidden) as a custom field."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.DRAFT:
        raise ApplicationError(_("This import has already started."))
    if mapping is not None or keep_other_columns:
        try:
            headers = read_table(job.file.path, limit=1).headers
        except UnreadableFile as exc:
            raise ApplicationError(str(exc)) from None
        job.mapping = _checked_mapping(
            {**job.mapping, **(mapping or {})}, headers, keep_others=keep_other_columns
        )
    if not set(job.mapping.values()) & IDENTIFYING:
        raise ApplicationError(
            _(
                "Choose the column of an email, a phone or a last name: "
                "without one, no row can be matched to a person."
            ),
            field="mapping",
        )
    job.status = ImportJob.Status.PENDING
    job.save(update_fields=["mapping", "status"])
    if enqueue:
        transaction.on_commit(lambda: contact_import_task.delay(job.pk))
    return job
