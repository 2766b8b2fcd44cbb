"""People: a contact with their emails and phones, tags, where their data came from, and what
staff did to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a piece of data came from (origine des données, shown to the person on request)."""

    IMPORT = "import", _("File import")
    PETITION = "petition", _("Petition")
    CANVASS = "canvass", _("Canvassing")
    MANUAL = "manual", _("Entered by hand")
    API = "api", _("API")
    SMS = "sms", _("Text message")
    DONATION = "donation", _("Donation")
    EMAIL = "email", _("Email")


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
    # The address's country as an ISO 3166 code ("RU" for a donor living abroad); empty is
    # France, as for every contact before it was kept. Imports' SQL leaves it to the default.
    country = models.CharField(
        _("country"), max_length=2, blank=True, default="", db_default="", help_text=_("ISO code")
    )
    # The words of the names and commune (normalize.search_words), each word of a search
    # matching the start of one of them; PostgreSQL indexes their prefixes (migration 0022).
    search_words = models.TextField(blank=True, editable=False, default="", db_default="")
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


class ContactIdentifier(models.Model):
    """A person's identifier in another system ("foreign_system:1"), sent through the API so
    that a sync finds its own records again. One identifier names one person."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identifiers")
    value = models.CharField(_("identifier"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("identifier from another system")
        verbose_name_plural = _("identifiers from other systems")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.value


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(_("email address"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)
    # A hard bounce: the address does not exist (OSDI's "bouncing"); no blast goes to it.
    bounced_at = models.DateTimeField(_("bouncing since"), null=True, blank=True)

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
