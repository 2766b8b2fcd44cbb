"""Segments: saved filters or frozen lists of contacts, the target of blasts and walk lists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaign.ownership import TerritoryOwned

from .people import Contact


class Segment(TerritoryOwned):
    """A saved set of filters (dynamic: re-evaluated each time) or a frozen list of contacts.

    SMS blasts and walk lists take a segment as their target. What a user gets from a
    segment is always cut to the contacts they may see. `territory` says whose the
    definition is (campaign.ownership): organizers use the whole campaign's, change their own.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    is_static = models.BooleanField(
        _("static list"), default=False, help_text=_("A frozen set of contacts, not filters.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SegmentMember(models.Model):
    """A contact in a static list."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("list member")
        verbose_name_plural = _("list members")
        constraints = [
            models.UniqueConstraint(fields=["segment", "contact"], name="segment_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.segment_id}: {self.contact_id}"
