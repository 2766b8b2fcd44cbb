"""Import a CSV or XLSX file of contacts from the shell, with the same report as the browser."""

import csv
import json
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from campaign.exceptions import ApplicationError
from contacts.imports.run import contact_import_run
from contacts.imports.selectors import import_left_out
from contacts.imports.services import contact_import_create, contact_import_start
from contacts.models import ImportJob


class Command(BaseCommand):
    help = "Import contacts from a CSV or XLSX file and print the report."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV or XLSX file")
        parser.add_argument("--source", default="", help="the origin shown on each new contact")
        parser.add_argument(
            "--tag", action="append", default=[], help="a tag for every row (repeatable)"
        )
        parser.add_argument(
            "--mapping",
            help='JSON {"column header": "field"}; fields: first_name, last_name, email, phone, '
            "postal_code, … or custom:NAME or ignore. Unlisted columns use the automatic guess.",
        )
        parser.add_argument(
            "--keep-other-columns",
            action="store_true",
            help="keep every column not mapped (birthplace and nationality excepted) "
            "as a custom field of its own name",
        )
        parser.add_argument(
            "--rejected-csv", help="write the rejected lines and reasons to this CSV"
        )
        parser.add_argument(
            "--no-duplicates",
            action="store_true",
            help="do not look for possible duplicates afterwards (the nightly task will)",
        )

    def handle(
        self,
        *args,
        path,
        source,
        tag,
        mapping,
        keep_other_columns,
        rejected_csv,
        no_duplicates,
        **options,
    ):
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(f"No such file: {path}")
        asked = None
        if mapping:
            try:
                asked = json.loads(mapping)
            except json.JSONDecodeError as exc:
                raise CommandError(f"--mapping is not valid JSON: {exc}") from None
        try:
            with file_path.open("rb") as handle:
                job = contact_import_create(
                    actor=None,
                    file=File(handle),
                    original_name=file_path.name,
                    source_detail=source,
                    tags=tag,
                )
            job = contact_import_start(
                job=job, mapping=asked, keep_other_columns=keep_other_columns, enqueue=False
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write("Columns: " + ", ".join(f"{h} → {t}" for h, t in job.mapping.items()))
        try:
            job = contact_import_run(job_id=job.pk, find_duplicates=not no_duplicates)
        except Exception as exc:
            raise CommandError(f"Import failed, nothing was imported: {exc}") from None
        self._report(job, rejected_csv)

    def _report(self, job: ImportJob, rejected_csv: str | None) -> None:
        out = self.stdout
        out.write(
            f"Rows read: {job.rows_total}\n"
            f"Created: {job.created_count}\n"
            f"Updated: {job.updated_count}\n"
            f"Unchanged: {job.unchanged_count}\n"
            f"Duplicates merged within the file: {job.merged_count}\n"
            f"Rejected: {job.rejected_count}"
            + (f"\nConsents recorded: {job.consents_count}" if job.consents_count else "")
        )
        for note in import_left_out(job):
            out.write(note)
        for line, reason in job.rejected[:20]:
            out.write(f"  line {line}: {reason}")
        if job.rejected_count > 20:
            out.write(f"  … and {job.rejected_count - 20} more")
        if job.warnings:
            out.write(f"Warnings: {len(job.warnings)}")
            for line, reason in job.warnings[:10]:
                out.write(f"  line {line}: {reason}")
        if job.kept:
            out.write(f"Kept as typed: {len(job.kept)}")
            for line, reason in job.kept[:10]:
                out.write(f"  line {line}: {reason}")
        if rejected_csv:
            with open(rejected_csv, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["line", "reason"])
                writer.writerows(job.rejected)
            out.write(f"Rejected lines written to {rejected_csv}")
