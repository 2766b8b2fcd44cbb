"""Reads for imports: who sees which, a preview of a file, the live progress."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaign.models import User
from contacts.models import ImportJob

from .mapping import detect_tool, forbidden_columns, is_electoral_list
from .reader import read_table


def imports_visible_to(user: User) -> QuerySet[ImportJob]:
    """Admins see every import; organizers the ones they made."""
    jobs = ImportJob.objects.select_related("created_by").defer("rejected", "warnings")
    if user.is_admin:
        return jobs
    if user.is_organizer:
        return jobs.filter(created_by=user)
    return jobs.none()


def import_preview(job: ImportJob, *, rows: int = 8) -> dict:
    """The first rows of the file, column by column, for checking the mapping."""
    table = read_table(job.file.path, limit=rows)
    return {
        "headers": table.headers,
        "samples": {h: [v for v in table.columns[h] if v][:3] for h in table.headers},
        "rows": [[table.columns[h][i] for h in table.headers] for i in range(table.row_count)],
        "encoding": table.encoding,
        "delimiter": {";": ";", ",": ",", "\t": "tab", "|": "|"}.get(table.delimiter, ""),
        "electoral_list": is_electoral_list(table.headers),
        "forbidden": forbidden_columns(table.headers),
        "tool": detect_tool(table.headers),
    }


def import_left_out(job: ImportJob) -> list[str]:
    """One sentence per column left out of a finished import that held data, for its report."""
    notes = []
    for header, count, examples in job.ignored:
        note = ngettext(
            "Column “%(column)s” not imported: %(count)d line had a value",
            "Column “%(column)s” not imported: %(count)d lines had a value",
            count,
        ) % {"column": header, "count": count}
        if examples:
            note += gettext(", e.g. %(examples)s") % {
                "examples": ", ".join(gettext("“%(value)s”") % {"value": v} for v in examples)
            }
        notes.append(note + ".")
    return notes


PHASES = {
    "waiting": _("waiting for a worker"),
    "reading": _("reading the file"),
    "cleaning": _("checking every line"),
    "staging": _("loading"),
    "matching": _("finding people already known"),
    "creating": _("creating new contacts"),
    "completing": _("completing known contacts"),
    "channels": _("adding emails and phones"),
    "tags": _("adding tags"),
    "done": _("done"),
    "failed": _("failed"),
}


def import_progress_key(job_id: int) -> str:
    """Where a running import keeps its progress (contacts.imports.run writes it)."""
    return f"contact-import:{job_id}:progress"


def import_progress(job: ImportJob) -> dict:
    live = cache.get(import_progress_key(job.pk)) or {}
    finished = job.status in {ImportJob.Status.DONE, ImportJob.Status.FAILED}
    phase = job.phase if finished else live.get("phase", job.phase or "waiting")
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "phase": phase,
        "phase_label": str(PHASES.get(phase, phase)),
        "progress": 100 if finished else live.get("progress", job.progress),
        "finished": finished,
    }
