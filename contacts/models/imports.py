"""Contact imports: one row per file, with its settings, progress and report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One file imported into contacts: its settings, its progress and its report."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("To check")
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    source_detail = models.CharField(
        _("source"), max_length=255, help_text=_("Shown as the origin of each new contact.")
    )
    mapping = models.JSONField(_("column mapping"), default=dict)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new contacts"), default=0)
    updated_count = models.PositiveIntegerField(_("contacts completed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("already known, unchanged"), default=0)
    merged_count = models.PositiveIntegerField(_("duplicates merged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    consents_count = models.PositiveIntegerField(_("consents recorded"), default=0)
    # [[line, reason], …] for rejected rows, for values left out of kept rows, and for
    # values kept as they were typed (an unreadable phone number, flagged).
    rejected = models.JSONField(_("rejected rows"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    kept = models.JSONField(_("kept as typed"), default=list, blank=True)
    # [[header, lines with a value, [first distinct values]], …] for the columns left on
    # "do not import" that held data, so the report says what the file had and was not kept.
    # A forbidden column (birthplace, nationality) gets its count only, never its values.
    ignored = models.JSONField(_("columns not imported"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # An organizer's import: where its new contacts without any address go, so that they stay
    # in the organizer's sight (empty: their first territory; admins' imports place nobody).
    territory = models.ForeignKey(
        "campaign.Territory",
        verbose_name=_("territory for lines without an address"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
