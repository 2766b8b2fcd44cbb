"""What the GDPR asks the campaign to keep and to show: who exported or was shown what,
the erased people no import may bring back, and how long data is kept."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Source


class ExportLog(models.Model):
    """Who exported which contacts, when, and how many: every export leaves one."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(_("what"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("export log")
        verbose_name_plural = _("export logs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.what} × {self.row_count} ({self.actor})"


class OpinionView(models.Model):
    """Someone was shown a person's political opinions (support level, door or survey
    answers: GDPR art. 9 data): who, what, whose, when. One row per page or API answer."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=100)
    contact_id_seen = models.BigIntegerField(_("contact"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("people shown"), default=1)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("view of opinion data")
        verbose_name_plural = _("views of opinion data")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["contact_id_seen"], name="opinion_view_contact_idx")]

    def __str__(self) -> str:
        return f"{self.what} ({self.actor_id}, {self.created_at:%Y-%m-%d})"


def suppression_digest(kind: str, value: str) -> str:
    """The digest a suppression entry keeps of an email, an E.164 phone or an identity key."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


class Suppression(models.Model):
    """A hashed identifier of a person who asked to be erased, so no import brings them back.

    Only SHA-256 digests are kept (of an email, an E.164 phone or an identity key), never
    the value itself.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        IDENTITY = "identity", _("Name, birth date and address")

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppression entry")
        verbose_name_plural = _("suppression list")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.digest[:12]}…"


class RetentionRule(models.Model):
    """How long data of one source is kept for people who never answered (CNIL guidance)."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        _("months"),
        help_text=_(
            "After this many months without activity, a contact from this source who never "
            "gave any consent is anonymized."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.months}"
