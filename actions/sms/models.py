"""Text messages: blasts to a segment, each message sent at most once, and replies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.ownership import TerritoryOwned
from contacts.models import Contact, Segment, Tag


class Blast(TerritoryOwned):
    """One text sent to the contacts of a segment who agreed to receive texts. Whose it is
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
    body = models.TextField(
        _("text"),
        help_text=_(
            "Merge fields: {prenom}, {nom}, {commune} (or {first_name}, {last_name}, {town})."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    # No text in this window (Europe/Paris), checked by the worker at the moment of sending.
    quiet_start = models.TimeField(_("quiet hours from"))
    quiet_end = models.TimeField(_("quiet hours until"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    fanned_out = models.BooleanField(default=False)  # every message row written
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who started (or scheduled) it: the recipients are this person's contacts, computed when
    # the messages are written, never the author's (an admin's draft started by an organizer
    # reaches the organizer's territories only).
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
    # Quiet hours began while it was sending: its queued texts wait in the database, and beat
    # starts them again at this moment (the end of the window), not a task held by the broker.
    resume_at = models.DateTimeField(_("waiting until"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS blast")
        verbose_name_plural = _("SMS blasts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """One outgoing text. A blast has at most one per contact (a unique constraint); a row
    is claimed (queued → sending) before the provider is called, and keeps its SID."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent: no longer allowed")
        CANCELLED = "cancelled", _("Cancelled")

    blast = models.ForeignKey(
        Blast, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    conversation = models.ForeignKey(
        "Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms_messages"
    )
    # A conversation's texts: who tapped "send", and the key the form carried, so that a
    # form sent twice on a bad connection sends one text.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    to = models.CharField(_("to"), max_length=20)
    body = models.TextField(_("text"))
    segments = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    sid = models.CharField(max_length=64, null=True, blank=True, unique=True)
    error_code = models.CharField(_("error"), max_length=10, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        constraints = [
            models.UniqueConstraint(
                fields=["blast", "contact"],
                condition=Q(blast__isnull=False),
                name="one_message_per_blast_and_contact",
            ),
            # Two contacts sharing a phone get the text once: no double text.
            models.UniqueConstraint(
                fields=["blast", "to"],
                condition=Q(blast__isnull=False),
                name="one_message_per_blast_and_number",
            ),
        ]
        indexes = [
            models.Index(fields=["blast", "status"], name="sms_message_blast_status_idx"),
            # The dashboard counts texts sent per day.
            models.Index(
                fields=["sent_at"],
                name="sms_message_sent_idx",
                condition=models.Q(sent_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.status}"


class Inbound(models.Model):
    """A text received from someone (a reply, STOP, START), kept with their conversation."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        OPT_OUT = "opt_out", _("Opt-out")
        OPT_IN = "opt_in", _("Opt back in")
        TO_REVIEW = "review", _("To review: mentions STOP")

    sid = models.CharField(max_length=64, unique=True)
    from_number = models.CharField(_("from"), max_length=20)
    to_number = models.CharField(_("to"), max_length=20, blank=True)
    body = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms_replies"
    )
    conversation = models.ForeignKey(
        "Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("text received")
        verbose_name_plural = _("texts received")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["contact", "-received_at"], name="sms_inbound_contact_idx"),
            models.Index(fields=["received_at"], name="sms_inbound_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_number}: {self.body[:40]}"


class OptOut(models.Model):
    """A number that said STOP, here or elsewhere (the 36180 service, a list): no bulk text
    goes to it, whoever it belongs to, even a contact added later."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=200)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class PendingReport(models.Model):
    """A delivery report for a SID not stored yet: Twilio calls back within a second, at
    times before its answer to the send has been read. Kept here, and applied to the text
    as soon as its SID is written (then deleted); beat sweeps what is left."""

    sid = models.CharField("SID", max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=20)
    error_code = models.CharField(_("error"), max_length=10, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery report waiting for its text")
        verbose_name_plural = _("delivery reports waiting for their text")

    def __str__(self) -> str:
        return f"{self.sid}: {self.status}"


# Peer-to-peer texting: a volunteer sends each text by hand and holds the conversation.


class P2PCampaign(TerritoryOwned):
    """Conversations rather than a broadcast: an opening script each volunteer sends with
    one tap per person, canned answers and survey questions for the replies. Whose it is
    (`territory`) says who may change it and hand its conversations out."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Under way")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="+"
    )
    script = models.TextField(
        _("opening text"),
        help_text=_(
            "Merge fields: {prenom}, {nom}, {commune} (or {first_name}, {last_name}, {town}). "
            "The opt-out line is added to it."
        ),
    )
    tags = models.ManyToManyField(
        Tag,
        verbose_name=_("tags volunteers may add"),
        blank=True,
        related_name="+",
    )
    batch_size = models.PositiveSmallIntegerField(
        _("batch size"),
        default=50,
        help_text=_("How many people a volunteer gets at a time (and when they ask for more)."),
    )
    volunteers_ask_for_more = models.BooleanField(
        _("volunteers may ask for another batch"), default=True
    )
    quiet_start = models.TimeField(_("quiet hours from"))
    quiet_end = models.TimeField(_("quiet hours until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    conversations_written = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who started it: the conversations are written for this person's contacts, not the
    # author's.
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
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("texting campaign")
        verbose_name_plural = _("texting campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class CannedAnswer(models.Model):
    campaign = models.ForeignKey(P2PCampaign, on_delete=models.CASCADE, related_name="canned")
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    campaign = models.ForeignKey(P2PCampaign, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    choices = models.TextField(_("answers"), help_text=_("One possible answer per line."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class Conversation(models.Model):
    """One person of a texting campaign, held by the volunteer it is assigned to."""

    class Status(models.TextChoices):
        NEW = "new", _("To send")
        OPEN = "open", _("Opening sent")
        OPTED_OUT = "opted_out", _("Opted out")
        CLOSED = "closed", _("Closed")

    campaign = models.ForeignKey(
        P2PCampaign, on_delete=models.CASCADE, related_name="conversations"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    to = models.CharField(_("number"), max_length=20)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    needs_reply = models.BooleanField(_("waiting for an answer"), default=False)
    assigned_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "contact"], name="one_conversation_per_campaign_and_contact"
            ),
            models.UniqueConstraint(
                fields=["campaign", "to"], name="one_conversation_per_campaign_and_number"
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "campaign", "status"], name="sms_conv_volunteer_idx"),
            models.Index(fields=["campaign", "status"], name="sms_conv_campaign_idx"),
            models.Index(fields=["to"], name="sms_conv_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.to}"


class SurveyAnswer(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer}"
