"""The funnel's tables: stage events (the history), one row per person with the date of
each stage (FunnelEntry), and the summary tables the dashboard reads (refreshed from the
entries the stage events change).

Summary rows are kept per area, the commune (INSEE code) and postal code of the people
counted, so that an organizer's territories read only their own rows; the rows of the
area ALL ("*", "*") count everyone, for the whole campaign.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .stages import Stage

ALL = "*"


class Area(models.Model):
    """Where the people counted in a summary row live (ALL: everyone)."""

    insee_code = models.CharField(max_length=5, default=ALL)
    postal_code = models.CharField(max_length=10, default=ALL)

    class Meta:
        abstract = True


class StageEvent(models.Model):
    """A person reached a stage of the ladder, by an action, at a time: the first time only."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="stage_events"
    )
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    at = models.DateTimeField(_("date"))
    why = models.CharField(_("by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage reached")
        verbose_name_plural = _("stages reached")
        constraints = [
            models.UniqueConstraint(fields=["contact", "stage"], name="stage_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.get_stage_display()}"


class FunnelEntry(models.Model):
    """A person's place on the ladder: when they reached each stage (a stronger stage counting
    for the weaker ones it implies), with where they came from. Rewritten from their stage
    events each time one is recorded."""

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    source_key = models.CharField(max_length=300)
    acquired_at = models.DateTimeField()
    reachable_at = models.DateTimeField(null=True)
    engaged_at = models.DateTimeField(null=True)
    donor_at = models.DateTimeField(null=True)
    volunteer_at = models.DateTimeField(null=True)
    activist_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("funnel position")
        verbose_name_plural = _("funnel positions")
        indexes = [models.Index(fields=["acquired_at"], name="funnel_entry_acquired_idx")]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.source_key}"


class FunnelDay(Area):
    """People acquired on a day from a source: how many reached each stage, and each pair of
    consecutive stages (for the conversion from one to the next)."""

    day = models.DateField()
    source_key = models.CharField(max_length=300)
    acquired = models.PositiveIntegerField(default=0)
    reachable = models.PositiveIntegerField(default=0)
    engaged = models.PositiveIntegerField(default=0)
    donor = models.PositiveIntegerField(default=0)
    volunteer = models.PositiveIntegerField(default=0)
    activist = models.PositiveIntegerField(default=0)
    reachable_engaged = models.PositiveIntegerField(default=0)
    engaged_donor = models.PositiveIntegerField(default=0)
    donor_volunteer = models.PositiveIntegerField(default=0)
    volunteer_activist = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily funnel count")
        verbose_name_plural = _("daily funnel counts")
        constraints = [
            models.UniqueConstraint(
                fields=["insee_code", "postal_code", "day", "source_key"], name="funnel_day_once"
            )
        ]
        # An organizer's rows: their communes, or their postal codes, over a period.
        indexes = [
            models.Index(fields=["insee_code", "day"], name="funnel_day_insee_idx"),
            models.Index(fields=["postal_code", "day"], name="funnel_day_postal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.source_key}"


class FunnelCohort(Area):
    """People acquired in a week (Monday): how many reached a stage, ever and within 1, 2, 4
    and 8 weeks. Stage 1 (acquired) holds the size of the cohort."""

    week = models.DateField()
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    reached = models.PositiveIntegerField(default=0)
    within_1 = models.PositiveIntegerField(default=0)
    within_2 = models.PositiveIntegerField(default=0)
    within_4 = models.PositiveIntegerField(default=0)
    within_8 = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("funnel cohort")
        verbose_name_plural = _("funnel cohorts")
        constraints = [
            models.UniqueConstraint(
                fields=["insee_code", "postal_code", "week", "stage"], name="funnel_cohort_once"
            )
        ]
        # An organizer's rows: their communes, or their postal codes, over a period.
        indexes = [
            models.Index(fields=["insee_code", "week"], name="funnel_cohort_insee_idx"),
            models.Index(fields=["postal_code", "week"], name="funnel_cohort_postal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.stage}"


class FunnelGap(Area):
    """People acquired in a week who went from the stage before `stage` to `stage`, by how
    long that took (`days`: see tally.gap_days): the medians come from these counts."""

    week = models.DateField()
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    days = models.PositiveSmallIntegerField()
    people = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("time between stages")
        verbose_name_plural = _("times between stages")
        constraints = [
            models.UniqueConstraint(
                fields=["insee_code", "postal_code", "week", "stage", "days"],
                name="funnel_gap_once",
            )
        ]
        # An organizer's rows: their communes, or their postal codes, over a period.
        indexes = [
            models.Index(fields=["insee_code", "week"], name="funnel_gap_insee_idx"),
            models.Index(fields=["postal_code", "week"], name="funnel_gap_postal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.stage} {self.days}"


class ActivityDay(Area):
    """One figure of activity (signatures, doors, texts…) on one day, among the people of an
    area (or everyone)."""

    day = models.DateField()
    metric = models.CharField(max_length=30)
    count = models.PositiveBigIntegerField(default=0)
    amount_cents = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("daily activity count")
        verbose_name_plural = _("daily activity counts")
        constraints = [
            models.UniqueConstraint(
                fields=["insee_code", "postal_code", "day", "metric"], name="activity_day_once"
            )
        ]
        # An organizer's rows: their communes, or their postal codes, over a period.
        indexes = [
            models.Index(fields=["insee_code", "day"], name="activity_day_insee_idx"),
            models.Index(fields=["postal_code", "day"], name="activity_day_postal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric}"


class FunnelDirty(models.Model):
    """A week of acquisition whose people changed, to count again: one row per transaction
    and week, written with the change and deleted by the refresh that counts it (so a change
    committed during a refresh is left for the next one)."""

    week = models.DateField()

    class Meta:
        verbose_name = _("week to recount")
        verbose_name_plural = _("weeks to recount")

    def __str__(self) -> str:
        return str(self.week)


class FunnelState(models.Model):
    """One row: when the summary tables were last refreshed, and last counted whole."""

    refreshed_at = models.DateTimeField(null=True)
    full_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("funnel refresh")
        verbose_name_plural = _("funnel refreshes")

    def __str__(self) -> str:
        return f"refreshed {self.refreshed_at}"
