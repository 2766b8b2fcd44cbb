"""Emails: verified senders, blasts to a segment, and one message row per person and blast,
claimed before the provider is called so that nobody gets a blast twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.ownership import TerritoryOwned
from contacts.models import Contact, Segment


class Sender(models.Model):
    """An address blasts may be sent from. An administrator marks it verified once the
    provider accepts it (its domain signed with DKIM, covered by SPF and DMARC)."""

    name = models.CharField(_("name shown"), max_length=100)
    address = models.EmailField(_("address"), unique=True)
    reply_to = models.EmailField(_("reply to"), blank=True)
    postal_address = models.CharField(
        _("postal address"),
        max_length=300,
        blank=True,
        help_text=_("Shown at the foot of every blast: who sends it, and where to write."),
    )
    is_verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Only verified senders can be chosen for a blast."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("email sender")
        verbose_name_plural = _("email senders")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class Blast(TerritoryOwned):
    """One email sent to the contacts of a segment who agreed to receive emails. Whose it is
    (`territory`) says who may change, start or stop it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Sent")

    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="+"
    )
    sender = models.ForeignKey(
        Sender, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="blasts"
    )
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(
        _("preheader"),
        max_length=200,
        blank=True,
        help_text=_("The line mail apps show after the subject."),
    )
    body = models.TextField(
        _("message"),
        help_text=_(
            "Markdown. Merge fields: {prenom}, {nom}, {commune} "
            "(or {first_name}, {last_name}, {town})."
        ),
    )
    track_clicks = models.BooleanField(
        _("count clicks"),
        default=False,
        help_text=_(
            "Off by default: counting clicks is tracking, which the CNIL says needs consent. "
            "When on, the footer says so."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    fanned_out = models.BooleanField(default=False)  # every message row written
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("email blast")
        verbose_name_plural = _("email blasts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def feedback_id(self) -> str:
        """The Feedback-ID header (Gmail's complaint loop): blast, kind, sender."""
        return f"{self.pk}:blast:terrain"


class Message(models.Model):
    """One outgoing email of a blast. A blast has at most one per contact and per address
    (unique constraints); a row is claimed (queued → sending) before the provider is called,
    and keeps the provider's id to match its delivery reports."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent: no longer allowed")
        CANCELLED = "cancelled", _("Cancelled")

    blast = models.ForeignKey(Blast, on_delete=models.CASCADE, related_name="messages")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="email_messages"
    )
    to = models.CharField(_("to"), max_length=254)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    # Our Message-ID header (on the site's domain), and the provider's id for its reports.
    message_id = models.CharField(max_length=255, unique=True)
    provider_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    soft_bounces = models.PositiveSmallIntegerField(_("soft bounces"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("first click"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        constraints = [
            models.UniqueConstraint(
                fields=["blast", "contact"],
                condition=Q(contact__isnull=False),
                name="one_email_per_blast_and_contact",
            ),
            models.UniqueConstraint(
                fields=["blast", "to"],
                condition=~Q(to=""),
                name="one_email_per_blast_and_address",
            ),
        ]
        indexes = [
            models.Index(fields=["blast", "status"], name="email_message_blast_status_idx"),
            models.Index(
                fields=["sent_at"],
                name="email_message_sent_idx",
                condition=Q(sent_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.status}"
