"""Door-to-door canvassing: a campaign with its script and result codes, turfs cut from
contacts and grouped into doors (a building is a list of flats), and the visits recorded at
each door, by volunteers who are often offline."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from campaign.ownership import TerritoryOwned
from contacts.models import Contact


def default_result_codes() -> list[dict]:
    """Codes a door can end with; `talked` ones count as a contact made. The labels are the
    campaign's own, written in the language of the organizer who makes it."""
    return [
        {"code": "talked", "label": pgettext("door result", "Talked"), "talked": True},
        {"code": "not_home", "label": pgettext("door result", "Not home"), "talked": False},
        {"code": "refused", "label": pgettext("door result", "Refused"), "talked": False},
        {"code": "come_back", "label": pgettext("door result", "Come back later"), "talked": False},
        {"code": "moved", "label": pgettext("door result", "Moved"), "talked": False},
        {
            "code": "inaccessible",
            "label": pgettext("door result", "Inaccessible (door code, intercom)"),
            "talked": False,
        },
    ]


class CanvassCampaign(TerritoryOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Under way")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    result_codes = models.JSONField(_("result codes"), default=default_result_codes)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("canvassing campaign")
        verbose_name_plural = _("canvassing campaigns")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def codes(self) -> dict[str, dict]:
        return {c["code"]: c for c in self.result_codes}


class Question(models.Model):
    """One question of the script asked at the door."""

    class Kind(models.TextChoices):
        SUPPORT = "support", _("Support level, 1 to 5")
        CHOICE = "choice", _("Multiple choice")
        TEXT = "text", _("Free text")
        VOLUNTEER = "volunteer", _("Wants to volunteer")
        GIVE = "give", _("Wants to give")

    campaign = models.ForeignKey(
        CanvassCampaign, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.TextField(_("answers"), blank=True, help_text=_("One per line."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("script question")
        verbose_name_plural = _("script questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class Turf(models.Model):
    """A piece of ground for one volunteer or team: its doors, in walking order."""

    campaign = models.ForeignKey(CanvassCampaign, on_delete=models.CASCADE, related_name="turfs")
    name = models.CharField(_("name"), max_length=200)
    volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteers"),
        blank=True,
        related_name="turfs",
    )
    cut_from = models.JSONField(default=dict, editable=False)  # the criteria, for the record
    doors_count = models.PositiveIntegerField(_("doors"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("turf")
        verbose_name_plural = _("turfs")
        ordering = ["campaign", "name"]

    def __str__(self) -> str:
        return self.name


class Door(models.Model):
    """A household: the people living behind one door. Doors of the same building share
    `building`; `position` is the walking order within the turf."""

    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="doors")
    building = models.CharField(max_length=300)  # street key + number: groups the flats
    street = models.CharField(_("street"), max_length=255)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    suffix = models.CharField(max_length=10, blank=True)  # bis, ter, B…
    flat = models.CharField(_("flat"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    commune = models.CharField(_("commune"), max_length=150, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("door")
        verbose_name_plural = _("doors")
        ordering = ["turf", "position"]
        indexes = [models.Index(fields=["turf", "position"], name="canvass_door_order_idx")]

    def __str__(self) -> str:
        number = f"{self.number or ''}{' ' + self.suffix if self.suffix else ''}"
        flat = f", {self.flat}" if self.flat else ""
        return f"{number} {self.street}{flat}".strip()


class Resident(models.Model):
    """A contact behind a door of a turf (a contact is in a campaign's turfs once)."""

    door = models.ForeignKey(Door, on_delete=models.CASCADE, related_name="residents")
    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(CanvassCampaign, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "contact"], name="one_door_per_campaign_and_contact"
            )
        ]
        indexes = [models.Index(fields=["turf", "contact"], name="canvass_resident_turf_idx")]

    def __str__(self) -> str:
        return f"{self.contact_id} @ {self.door_id}"


class Visit(models.Model):
    """What happened at a door. `id` is made on the phone: a result sent twice (a retry
    after a lost answer) is recorded once. Support level and answers are political opinions
    (GDPR art. 9): only staff of the territory see them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(CanvassCampaign, on_delete=models.CASCADE, related_name="visits")
    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="visits")
    door = models.ForeignKey(Door, on_delete=models.CASCADE, related_name="visits")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(_("result"), max_length=30)
    support_level = models.PositiveSmallIntegerField(_("support level"), null=True, blank=True)
    wants_to_volunteer = models.BooleanField(_("wants to volunteer"), default=False)
    wants_to_give = models.BooleanField(_("wants to give"), default=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    visited_at = models.DateTimeField(_("visited"))  # the phone's clock
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [
            models.Index(fields=["door", "-visited_at"], name="canvass_visit_door_idx"),
            models.Index(fields=["contact", "-visited_at"], name="canvass_visit_contact_idx"),
            models.Index(fields=["campaign", "result"], name="canvass_visit_result_idx"),
            models.Index(fields=["visited_at"], name="canvass_visit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.door}: {self.result}"
