"""Contacts: the people a campaign talks to, with their channels, consents and history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaign.ownership import TerritoryOwned


class Source(models.TextChoices):
    """Where a piece of data came from (origine des données, shown to the person on request)."""

    IMPORT = "import", _("File import")
    PETITION = "petition", _("Petition")
    CANVASS = "canvass", _("Canvassing")
    MANUAL = "manual", _("Entered by hand")
    API = "api", _("API")
    SMS = "sms", _("Text message")
    DONATION = "donation", _("Donation")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone calls")
    POST = "post", _("Post")


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNKNOWN = "unknown", _("Not asked")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person. Names, address and territory codes live here; channels in child tables."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Lower-case, accent-free copies for prefix search with a plain b-tree index.
    first_name_key = models.CharField(max_length=150, blank=True, editable=False)
    last_name_key = models.CharField(max_length=150, blank=True, editable=False)

    street = models.CharField(_("street address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    commune = models.CharField(_("commune"), max_length=150, blank=True)
    commune_key = models.CharField(max_length=150, blank=True, editable=False)
    # Name, birth date and address in one key: how a person without email or phone is
    # recognised by imports and duplicate review (normalize.identity_key).
    identity_key = models.CharField(max_length=400, blank=True, editable=False)
    insee_code = models.CharField(_("INSEE code"), max_length=5, blank=True)
    bureau_code = models.CharField(
        _("polling station"),
        max_length=20,
        blank=True,
        help_text=_("INSEE code and bureau number, e.g. 69381-0101"),
    )
    bureau_label = models.CharField(_("polling station name"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="contacts")
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_detail = models.CharField(
        _("source detail"),
        max_length=255,
        blank=True,
        help_text=_("The file, petition or form the contact came from."),
    )
    source_at = models.DateTimeField(_("collected on"))
    # The last time the campaign reached the person or the person acted (a text sent, a
    # signature, a door knocked). Retention periods count from here, or from source_at.
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # GDPR: art. 17 erasure leaves an anonymous row (so actions keep their counts);
    # art. 21 objection stops all contact on every channel.
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)
    objected_at = models.DateTimeField(_("objected on"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never queried by creator; one index less on every insert
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            # Prefix search (LIKE 'abc%') needs the pattern operator class on PostgreSQL.
            models.Index(
                fields=["last_name_key", "first_name_key"],
                name="contact_name_key_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # Sorting by name: pattern-operator indexes cannot serve ORDER BY.
            models.Index(
                fields=["last_name_key", "first_name_key", "id"], name="contact_name_sort_idx"
            ),
            models.Index(
                fields=["first_name_key"],
                name="contact_first_key_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["commune_key"],
                name="contact_commune_key_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["postal_code"], name="contact_postal_code_idx"),
            models.Index(fields=["insee_code"], name="contact_insee_code_idx"),
            models.Index(fields=["bureau_code"], name="contact_bureau_code_idx"),
            models.Index(fields=["source", "source_at"], name="contact_source_idx"),
            # Equality only: a plain index (db_index would add a LIKE index on PostgreSQL).
            models.Index(fields=["identity_key"], name="contact_identity_key_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("(no name)"))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(_("email address"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["address"], name="contact_email_address_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "address"], name="contact_email_unique_per_contact"
            )
        ]

    def __str__(self) -> str:
        return self.address


class ContactPhone(models.Model):
    """A phone number as typed, and its E.164 form when it could be read."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        LANDLINE = "landline", _("Landline")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unreadable")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    raw = models.CharField(_("as entered"), max_length=64)
    e164 = models.CharField(_("number"), max_length=20, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    is_primary = models.BooleanField(_("primary"), default=False)
    # Set when the SMS provider says this number cannot take texts (invalid, not a mobile,
    # unknown): no blast targets it again.
    sms_blocked = models.CharField(
        _("texts impossible"), max_length=100, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["e164"], name="contact_phone_e164_idx")]

    def __str__(self) -> str:
        return self.e164 or self.raw

    @property
    def is_valid(self) -> bool:
        return bool(self.e164)


class Consent(models.Model):
    """The current consent of a contact on one channel. Changed only with a ConsentEvent."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=ConsentStatus.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    wording = models.TextField(_("wording shown"), blank=True)
    changed_at = models.DateTimeField(_("date"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["contact", "channel"], name="consent_one_per_channel")
        ]
        indexes = [
            models.Index(
                fields=["channel", "contact"],
                name="consent_granted_idx",
                condition=Q(status="granted"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_status_display()}"


class ConsentEvent(models.Model):
    """One change of consent, kept forever: the proof of what the person agreed to, and when."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consent_events")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=ConsentStatus.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_detail = models.CharField(_("source detail"), max_length=255, blank=True)
    wording = models.TextField(_("wording shown"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("date"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["contact", "-occurred_at"], name="consent_event_contact_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.get_status_display()}"

    def save(self, *args, **kwargs):
        # Append-only: the history of consent is evidence and must not be rewritten.
        if self.pk is not None:
            raise ValueError("Consent events are append-only")
        super().save(*args, **kwargs)


class ContactActivity(models.Model):
    """Something staff did to a contact (created, edited, tagged), for the timeline and audit."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Edited")
        TAGGED = "tagged", _("Tags changed")
        NOTE = "note", _("Note")
        ACCESS = "access", _("Data exported for the person")
        OBJECTED = "objected", _("Objected to any contact")
        ERASED = "erased", _("Erased")
        MERGED = "merged", _("Merged with a duplicate")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("summary"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("date"))

    class Meta:
        verbose_name = _("contact activity")
        verbose_name_plural = _("contact activities")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["contact", "-occurred_at"], name="activity_contact_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%Y-%m-%d})"


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
    # [[line, reason], …] for rejected rows and for values left out of kept rows.
    rejected = models.JSONField(_("rejected rows"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
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
