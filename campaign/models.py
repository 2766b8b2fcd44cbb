"""People who use Terrain: users with a role, scoped to territories."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .accounts.names import display_name

KIND_WITH_CODE = {
    "commune": _("commune, INSEE %(code)s"),
    "postal_code": _("postal code %(code)s"),
    "bureau": _("polling station %(code)s"),
}


class Territory(models.Model):
    """A piece of the map an organizer works on: a commune, a postal code or a polling station.

    `code` is what contacts carry: the INSEE code of a commune, a postal code, or
    `INSEE-BUREAU` for a bureau de vote (the bureau number alone is only unique
    inside its commune).
    """

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune (INSEE code)")
        POSTAL_CODE = "postal_code", _("Postal code")
        BUREAU = "bureau", _("Polling station (bureau de vote)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_kind_code_unique")
        ]

    def __str__(self) -> str:
        """The name first and whole, then its kind and code: "Amiens — commune, INSEE 80021"
        (every list of territories reads so: the pickers, the funnel's and imports' menus)."""
        kind = KIND_WITH_CODE.get(self.kind)
        return f"{self.name} — {kind % {'code': self.code} if kind else self.code}"


class User(AbstractUser):
    """A person who logs in. What they see follows from `role` and `territories`."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        ORGANIZER = "organizer", _("Organizer")
        VOLUNTEER = "volunteer", _("Volunteer")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VOLUNTEER)
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territories"),
        blank=True,
        related_name="users",
        help_text=_("An organizer sees the contacts of these territories only."),
    )
    contact = models.OneToOneField(
        "contacts.Contact",
        verbose_name=_("contact record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user_account",
        help_text=_(
            "The person's own contact: they count as a volunteer in the funnel, and their "
            "doors and texts make them an activist."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_organizer(self) -> bool:
        return self.role == self.Role.ORGANIZER

    @property
    def is_volunteer(self) -> bool:
        return not self.is_admin and self.role == self.Role.VOLUNTEER

    @property
    def can_use_crm(self) -> bool:
        """Admins and organizers use the staff pages; volunteers have their own."""
        return self.is_admin or self.is_organizer

    def __str__(self) -> str:
        # Choice lists (turf and texting assignments) and the admin name users as pages do.
        return display_name(self)


class ApiToken(models.Model):
    """A key to the API for one user: it acts with their role and territories. Only a digest
    is kept; the key itself is shown once, when it is made."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What it is for."))
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


from .webhooks.models import Delivery, Event, Webhook  # noqa: E402, F401
