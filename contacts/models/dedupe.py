"""Duplicates: pairs of contacts that may be one person, and the merges that made them one."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .people import Contact


class DuplicateCandidate(models.Model):
    """Two contacts that may be one person, waiting for staff to merge them or say no."""

    class Reason(models.TextChoices):
        EMAIL = "email", _("Same email")
        PHONE = "phone", _("Same phone")
        IDENTITY = "identity", _("Same name and address")

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        DISMISSED = "dismissed", _("Not the same person")

    # a.id < b.id, so a pair is stored once.
    contact_a = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    contact_b = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contact_a", "contact_b"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=Q(contact_a__lt=F("contact_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-found_at"], name="duplicate_status_idx")]

    def __str__(self) -> str:
        return f"{self.contact_a_id} ~ {self.contact_b_id} ({self.get_reason_display()})"


class ContactMerge(models.Model):
    """A merge, kept so that it can be explained later: who merged what into whom, and when."""

    kept = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="merges")
    dropped_uuid = models.UUIDField(_("merged contact's identifier"))
    dropped_id = models.BigIntegerField(_("merged contact's number"))
    dropped_summary = models.JSONField(_("merged contact as it was"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact merge")
        verbose_name_plural = _("contact merges")
        ordering = ["-merged_at"]
        indexes = [models.Index(fields=["dropped_uuid"], name="merge_dropped_uuid_idx")]

    def __str__(self) -> str:
        return f"#{self.dropped_id} → #{self.kept_id}"
