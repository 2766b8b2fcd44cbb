"""Donations under French political-finance law. Money is integer cents, never float."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.money import money_format
from campaign.ownership import TerritoryOwned
from contacts.models import Contact


class ElectionKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    LEGISLATIVE = "legislative", _("Legislative")
    DEPARTMENTAL = "departmental", _("Departmental")
    REGIONAL = "regional", _("Regional")
    EUROPEAN = "european", _("European")
    PRESIDENTIAL = "presidential", _("Presidential")
    SENATORIAL = "senatorial", _("Senatorial")
    OTHER = "other", _("Other")


class Entity(models.Model):
    """Who receives the money, and so which law applies: a candidate's campaign (Code
    électoral L52-8, per election) or a party (loi 88-227 art. 11-4, per calendar year)."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("A candidate's campaign (per election)")
        PARTY = "party", _("A political party (per calendar year)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    election = models.CharField(
        _("election"), max_length=200, blank=True, help_text=_("e.g. Municipales 2026, Lyon")
    )
    # What makes "the same elections" of L52-8 (one cap for all their candidates) and the
    # financing period of L52-4: the kind of election and the day of its first round.
    election_kind = models.CharField(
        _("kind of election"), max_length=20, choices=ElectionKind.choices, blank=True
    )
    election_day = models.DateField(
        _("first round"),
        null=True,
        blank=True,
        help_text=_(
            "Candidates of the same kind of election on the same day (or, without a day, "
            "of the same election name) share one cap of 4,600 € per donor (L52-8)."
        ),
    )
    financing_from = models.DateField(
        _("financing period from"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: six months before the first day of the election's month (a year for "
            "the presidential election), Code électoral L52-4."
        ),
    )
    financing_until = models.DateField(
        _("financing period until"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: the day the campaign accounts are due, the tenth Friday after the "
            "first round (L52-12). Set it to the day they were filed, if earlier."
        ),
    )
    spending_limit_cents = models.PositiveBigIntegerField(
        _("spending limit (cents)"),
        null=True,
        blank=True,
        help_text=_(
            "The campaign's legal spending limit; caps the cash gifts when 15,000 € or more."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("receiving entity")
        verbose_name_plural = _("receiving entities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Drive(TerritoryOwned):
    """A public fundraising page, /don/<slug>/: a story, a goal and its thermometer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="drives")
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("story"), help_text=_("Markdown: **bold**, lists, links."))
    goal_cents = models.PositiveBigIntegerField(_("goal (cents)"))
    suggested_cents = models.JSONField(
        _("suggested amounts (cents)"),
        default=list,
        blank=True,
        help_text=_("Empty: derived from the average gift (about 35 €)."),
    )
    monthly = models.BooleanField(_("offer monthly giving"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fundraising page")
        verbose_name_plural = _("fundraising pages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Donation(models.Model):
    class Kind(models.TextChoices):
        GIFT = "gift", _("Gift")
        MEMBERSHIP = "membership", _("Membership fee")

    class Method(models.TextChoices):
        CARD = "card", _("Card")
        CHEQUE = "cheque", _("Cheque")
        TRANSFER = "transfer", _("Transfer")
        DIRECT_DEBIT = "direct_debit", _("Direct debit")
        CASH = "cash", _("Cash")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged, not paid yet")
        PAID = "paid", _("Paid")
        TO_REFUND = "to_refund", _("Over a legal cap: part to refund")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Not paid: card declined or payment abandoned")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="donations")
    drive = models.ForeignKey(
        Drive, null=True, blank=True, on_delete=models.SET_NULL, related_name="donations"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="donations")
    monthly = models.BooleanField(_("every month"), default=False)
    # A monthly gift: the first one is the donor's mandate; each later month is a gift of
    # its own, pointing at the first, judged against the caps when it is taken.
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="installments"
    )
    stopped_at = models.DateTimeField(_("monthly gift stopped"), null=True, blank=True)
    # The donor's emails (actions.donations.emails), each claimed here before it is sent,
    # so that a task run twice sends it once: the thank-you with the receipt (a month's
    # notice, for a monthly gift's later months), and the notice that a monthly gift stopped.
    thanked_at = models.DateTimeField(_("thank-you emailed"), null=True, blank=True)
    stop_noticed_at = models.DateTimeField(_("stop notice emailed"), null=True, blank=True)
    # Where the donor came from (the page's link: ?utm_source=…), for the reports by source.
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    # The payment under way at the provider: the page the donor is sent to names it.
    checkout = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GIFT)
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))
    refund_cents = models.PositiveBigIntegerField(_("to refund (cents)"), default=0)
    method = models.CharField(_("payment"), max_length=12, choices=Method.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    received_on = models.DateField(_("received on"))
    provider = models.CharField(_("provider"), max_length=30, default="manual")
    provider_txn_id = models.CharField(_("provider's transaction"), max_length=100, blank=True)
    # The donor's word, required by law before any gift is taken.
    natural_person = models.BooleanField(_("gives as a natural person"), default=False)
    french_or_resident = models.BooleanField(
        _("French national or resident in France"), default=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A gift to a party: what the donor declared they gave other parties this calendar year,
    # counted in the 7,500 € cap, which is for all parties together (loi 88-227, 11-4).
    other_parties_cents = models.PositiveBigIntegerField(
        _("declared given to other parties this year (cents)"), default=0, db_default=0
    )
    # The name and postal address the donor typed on a public page or a provider's export
    # (the receipt needs them). Kept with the gift, never written onto a contact that
    # existed before: anyone may type anyone's email on a public form.
    donor_first_name = models.CharField(
        _("donor's first name"), max_length=150, blank=True, default="", db_default=""
    )
    donor_last_name = models.CharField(
        _("donor's last name"), max_length=150, blank=True, default="", db_default=""
    )
    donor_street = models.CharField(
        _("donor's address"), max_length=255, blank=True, default="", db_default=""
    )
    donor_postal_code = models.CharField(
        _("donor's postal code"), max_length=10, blank=True, default="", db_default=""
    )
    donor_commune = models.CharField(
        _("donor's town"), max_length=150, blank=True, default="", db_default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        constraints = [
            # A provider's export imported twice counts nothing twice.
            models.UniqueConstraint(
                fields=["provider", "provider_txn_id"],
                condition=~Q(provider_txn_id=""),
                name="one_donation_per_provider_transaction",
            )
        ]
        indexes = [
            models.Index(fields=["entity", "contact", "received_on"], name="donation_cap_idx"),
            models.Index(fields=["contact", "-received_on"], name="donation_contact_idx"),
            models.Index(fields=["received_on"], name="donation_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{money_format(self.amount_cents)} ({self.get_method_display()})"

    @property
    def receipt_donor(self) -> dict[str, str]:
        """Who the receipt names: what the donor typed with this gift, else the contact's."""
        if self.donor_last_name or self.donor_street:
            return {
                "name": f"{self.donor_first_name} {self.donor_last_name}".strip(),
                "street": self.donor_street,
                "postal_code": self.donor_postal_code,
                "commune": self.donor_commune,
            }
        contact = self.contact
        return {
            "name": contact.full_name,
            "street": contact.street,
            "postal_code": contact.postal_code,
            "commune": contact.commune,
        }

    @property
    def kept_cents(self) -> int:
        """What the entity may keep: the amount less what is to be (or was) refunded."""
        return self.amount_cents - self.refund_cents

    @property
    def receipt(self) -> "Receipt | None":
        """The gift's receipt: the valid one, else the last voided (prefetch `receipts`)."""
        receipts = sorted(self.receipts.all(), key=lambda r: (r.voided_at is None, r.pk))
        return receipts[-1] if receipts else None


class ReceiptCounter(models.Model):
    """The last receipt number given, per entity and year: locked while a number is taken,
    in the same transaction as the receipt, so the sequence has no gap and no repeat."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")
        constraints = [
            models.UniqueConstraint(fields=["entity", "year"], name="one_counter_per_entity_year")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}/{self.year}: {self.last}"


class Receipt(models.Model):
    """A tax receipt (reçu) for a gift. Voiding keeps its number, so the sequence stays whole."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="receipts")
    # One valid receipt per gift; a voided one stays, and a new one (its own number) may follow.
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="receipts")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["entity", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year", "number"], name="one_receipt_per_number"
            ),
            models.UniqueConstraint(
                fields=["donation"],
                condition=models.Q(voided_at__isnull=True),
                name="one_valid_receipt_per_gift",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.year}-{self.number:06d}"
