"""Petitions: public pages where visitors sign, become contacts, and climb the ladder."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.ownership import TerritoryOwned
from contacts.models import Contact, Tag


class Petition(TerritoryOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class NextStep(models.TextChoices):
        SHARE = "share", _("Share the petition")
        VOLUNTEER = "volunteer", _("Volunteer")
        DONATE = "donate", _("Give")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    target = models.CharField(_("addressed to"), max_length=200, blank=True)
    text = models.TextField(_("text"), help_text=_("Markdown: **bold**, *italics*, lists, links."))
    image = models.ImageField(
        _("image"),
        upload_to="petitions/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("Scaled down to 1600 px, its metadata (such as GPS position) removed."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, read aloud to people who cannot see it."),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    goal = models.PositiveIntegerField(_("signature goal"), default=1000)
    end_date = models.DateField(_("closes on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Each channel is offered with exactly this wording; an empty wording means not offered.
    consent_email = models.TextField(
        _("email consent wording"),
        blank=True,
        default="J'accepte de recevoir par e-mail des informations de la campagne.",
    )
    consent_sms = models.TextField(
        _("SMS consent wording"),
        blank=True,
        default="J'accepte de recevoir des SMS de la campagne (STOP au 36180 pour ne plus en recevoir).",
    )
    consent_phone = models.TextField(_("phone call consent wording"), blank=True)
    questions = models.JSONField(
        _("extra questions"),
        default=list,
        blank=True,
        help_text=_("A list of questions asked after the form, answered with free text."),
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags for signers"), blank=True, related_name="+"
    )
    next_step = models.CharField(
        _("next step offered after signing"),
        max_length=10,
        choices=NextStep.choices,
        default=NextStep.SHARE,
    )
    next_step_url = models.URLField(_("next step link"), blank=True)
    double_opt_in = models.BooleanField(
        _("confirm by email"),
        default=False,
        help_text=_("Signers confirm with a link sent by email; only confirmed signatures count."),
    )
    data_controller = models.CharField(
        _("who holds the data"),
        max_length=200,
        default="L'équipe de campagne",
        help_text=_("Shown in the legal notice under the form."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        if self.status != self.Status.PUBLISHED:
            return False
        return self.end_date is None or self.end_date >= timezone.localdate()

    def consent_wordings(self) -> dict[str, str]:
        return {
            channel: wording
            for channel, wording in (
                ("email", self.consent_email),
                ("sms", self.consent_sms),
                ("phone", self.consent_phone),
            )
            if wording.strip()
        }


class Signature(models.Model):
    """One person's signature: one per petition and contact, with where they came from."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="signatures")
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    referrer = models.CharField(_("referrer"), max_length=500, blank=True)
    embedded = models.BooleanField(_("signed on a partner site"), default=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # What the signer typed. A public form proves nothing: on a contact known before, these
    # stay with the signature and are never written onto the contact's record.
    first_name = models.CharField(
        _("first name typed"), max_length=150, blank=True, default="", db_default=""
    )
    last_name = models.CharField(
        _("last name typed"), max_length=150, blank=True, default="", db_default=""
    )
    phone = models.CharField(_("phone typed"), max_length=30, blank=True, default="", db_default="")
    postal_code = models.CharField(
        _("postal code typed"), max_length=10, blank=True, default="", db_default=""
    )
    # Double opt-in: the signature counts, and its consents are recorded, once confirmed.
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    pending_consents = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "contact"], name="one_signature_per_person")
        ]
        indexes = [
            models.Index(fields=["petition", "-signed_at"], name="signature_petition_idx"),
            # The dashboard counts signatures per day.
            models.Index(fields=["signed_at"], name="signature_signed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.petition_id}"


class PendingSignature(models.Model):
    """A signature received and not yet merged into contacts.

    The page answers as soon as this row is written; a worker merges pending rows into
    contacts, consents and signatures in batches, set-based
    (signatures.pending_signatures_merge), so a petition going viral is limited by one insert
    per signer, not twenty queries.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    email = models.CharField(max_length=254)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=30, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    consents = models.JSONField(default=list, blank=True)  # the channels ticked
    answers = models.JSONField(default=dict, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    embedded = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pending signature")
        verbose_name_plural = _("pending signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "email"], name="one_pending_signature_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.petition_id}"
