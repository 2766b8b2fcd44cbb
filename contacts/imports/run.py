"""Running an import, the work of its task: read, clean, then merge everything in one
transaction, with its progress in the cache. Also called from the shell (import_contacts)."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import Territory, User
from campaign.ownership import default_territory_for, territory_choices_for
from contacts.dedupe.tasks import duplicates_refresh_task
from contacts.models import Channel, ImportJob
from contacts.privacy.selectors import suppressed_rows
from contacts.scope import contacts_visible_to

from .cleaning import clean, group_people
from .mapping import CONSENT_PREFIX, IGNORE, OPTOUT_ALL, OPTOUT_PREFIX, forbidden_columns
from .merge import Staging, merge_staged
from .reader import Table, UnreadableFile, estimate_rows, iter_table
from .selectors import import_progress_key

logger = logging.getLogger(__name__)
REPORT_LIMIT = 100_000  # rows kept in a job's report of rejected lines and warnings
IGNORED_EXAMPLES = 3  # distinct values kept for each column left out
EXAMPLE_CHARS = 80  # an example is cut there: the report says what a column held, not all of it


def _progress(job: ImportJob, phase: str, percent: int) -> None:
    """Progress goes to the cache: the merge runs in a transaction nobody else can see into."""
    cache.set(import_progress_key(job.pk), {"phase": phase, "progress": percent}, timeout=24 * 3600)


def contact_import_run(*, job_id: int, find_duplicates: bool = True) -> ImportJob | None:
    """Run an import: read, clean, then merge everything in one transaction.

    Safe to call twice (a task delivered twice, or redelivered after a worker died):
    only one run holds the job's row lock, and a finished job is left alone.
    """
    started = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), phase="reading"
    )
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status not in {ImportJob.Status.RUNNING}:
        return job
    if not started:
        logger.info("Import %s resumes after an interruption", job_id)
    try:
        _progress(job, "reading", 5)
        actor = job.created_by
        if actor is not None and not (actor.is_active and actor.can_use_crm):
            # Whoever uploaded it must still be allowed to import when it runs.
            raise ApplicationError(
                _("The person who started this import may no longer import contacts.")
            )
        scope, within, place = None, None, None
        if actor is not None and not actor.is_admin:
            # Computed now, with the importer's territories as they are when it runs.
            scope = list(actor.territories.values_list("kind", "code"))
            within = contacts_visible_to(actor)
            territory = _placing_territory(job, actor)
            place = (territory.kind, territory.code) if territory else None
        with transaction.atomic():
            locked = (
                ImportJob.objects.select_for_update(skip_locked=True)
                .filter(pk=job_id, status=ImportJob.Status.RUNNING)
                .first()
            )
            if locked is None:
                return ImportJob.objects.get(pk=job_id)  # another worker has it, or it is done
            rejected, warnings, kept, rows_read = [], [], [], 0
            staging = Staging()
            left_out = _LeftOut(job.mapping)
            expected = max(1, estimate_rows(job.file.path))
            for table in iter_table(job.file.path):
                cleaned = clean(
                    table,
                    job.mapping,
                    extra_tags=job.tags,
                    scope=scope,
                    place_unaddressed=place is not None,
                )
                erased = suppressed_rows(cleaned.rows)
                erased_lines: set[int] = set()
                if erased.any():
                    erased_lines = {int(line) for line in cleaned.rows["line"][erased]}
                    reason = _("erased at the person's request: on the suppression list")
                    cleaned.rejected += [
                        (int(line), reason) for line in cleaned.rows["line"][erased]
                    ]
                    cleaned.rows = cleaned.rows[~erased].reset_index(drop=True)
                staging.add(cleaned.rows)
                left_out.add(table, skip=erased_lines)
                rejected += [[line, reason] for line, reason in table.bad_lines + cleaned.rejected]
                warnings += [[line, reason] for line, reason in cleaned.warnings]
                kept += [[line, reason] for line, reason in cleaned.kept]
                rows_read += table.row_count + len(table.bad_lines)
                done = (table.lines[-1] if table.lines else 0) / expected
                _progress(job, "cleaning", int(5 + 45 * min(done, 1.0)))
            rejected.sort()
            groups = group_people(staging.keys_frame())
            counts = merge_staged(
                staging=staging,
                groups=groups,
                source_detail=locked.source_detail,
                tags=locked.tags,
                actor_id=locked.created_by_id,
                consent_wordings=_consent_wordings(locked),
                within=within,
                place_new=place,
                on_phase=lambda phase, percent: _progress(locked, phase, percent),
            )
            locked.rows_total = rows_read
            locked.created_count = counts.created
            locked.updated_count = counts.updated
            locked.unchanged_count = counts.unchanged
            locked.merged_count = counts.merged
            locked.rejected_count = len(rejected)
            locked.consents_count = counts.consents
            locked.rejected = rejected[:REPORT_LIMIT]
            locked.warnings = warnings[:REPORT_LIMIT]
            locked.kept = kept[:REPORT_LIMIT]
            locked.ignored = left_out.report()
            locked.status = ImportJob.Status.DONE
            locked.phase = "done"
            locked.progress = 100
            locked.finished_at = timezone.now()
            locked.save()
        _progress(locked, "done", 100)
    except Exception as exc:
        logger.exception("Import %s failed", job_id)
        message = (
            str(exc)
            if isinstance(exc, UnreadableFile | ApplicationError)
            else _("The import failed and nothing was imported: %(error)s")
            % {"error": exc.__class__.__name__}
        )
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error=message,
            finished_at=timezone.now(),
            phase="failed",
        )
        _progress(job, "failed", 100)
        raise
    if find_duplicates:
        _find_duplicates_later()
    return locked


class _LeftOut:
    """The columns mapped to "do not import", counted chunk by chunk: how many lines held a
    value, and their first distinct values (none for a forbidden column: never kept)."""

    def __init__(self, mapping: dict[str, str]) -> None:
        headers = [h for h, target in mapping.items() if target == IGNORE]
        self.forbidden = set(forbidden_columns(headers))
        self.counts = dict.fromkeys(headers, 0)
        self.examples: dict[str, list[str]] = {h: [] for h in headers}

    def add(self, table: Table, *, skip: set[int]) -> None:
        """Count a chunk; the lines in `skip` (people erased at their request) leave no trace."""
        for header in self.counts:
            values = table.columns.get(header, [])
            if skip:
                values = [
                    v for v, line in zip(values, table.lines, strict=True) if line not in skip
                ]
            self.counts[header] += sum(1 for value in values if value and not value.isspace())
            examples = self.examples[header]
            if header in self.forbidden or len(examples) >= IGNORED_EXAMPLES:
                continue
            for value in values:
                value = value.strip()[:EXAMPLE_CHARS]
                if value and value not in examples:
                    examples.append(value)
                    if len(examples) >= IGNORED_EXAMPLES:
                        break

    def report(self) -> list[list]:
        """[[header, lines with a value, [examples]], …] for the columns that held data."""
        return [
            [header, count, self.examples[header]] for header, count in self.counts.items() if count
        ]


def _placing_territory(job: ImportJob, actor: User) -> Territory | None:
    """Where the organizer's new contacts without an address go: the territory they chose if
    it is still theirs, else their first one (campaign.ownership's default)."""
    chosen = None
    if job.territory_id is not None:
        chosen = territory_choices_for(actor).filter(pk=job.territory_id).first()
    return chosen or default_territory_for(actor)


def _consent_wordings(job: ImportJob) -> dict[str, str]:
    """{channel: what the consent event keeps as its wording}: the file and its column, all
    that is known of what the person was asked. A "do not contact" column speaks for every
    channel no column of its own speaks for."""
    wordings: dict[str, str] = {}
    for header, target in sorted(job.mapping.items(), key=lambda item: item[1] == OPTOUT_ALL):
        if not target.startswith((CONSENT_PREFIX, OPTOUT_PREFIX)):
            continue
        wording = _("File “%(file)s”, column “%(column)s”") % {
            "file": job.original_name,
            "column": header,
        }
        channels = Channel.values if target == OPTOUT_ALL else [target.split("_", 1)[1]]
        for channel in channels:
            wordings.setdefault(channel, wording)
    return wordings


def _find_duplicates_later() -> None:
    """New rows may pair with contacts already there; a failure here is no import failure."""
    try:
        duplicates_refresh_task.delay()
    except Exception:
        logger.exception("Could not queue the search for duplicates")
