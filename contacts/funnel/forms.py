"""The dashboard's filters: a period (a preset or two dates), a territory, a cohort stage."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.models import Territory

from .selectors import Period
from .stages import Stage

PRESETS = {"4w": 28, "12w": 84, "52w": 364}
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class PeriodForm(forms.Form):
    """A period: a preset of the subclass's `range` field (days in `PRESETS`), "all", or
    "custom" with two dates. The funnel's dashboard and a petition's page use it."""

    PRESETS: dict[str, int] = {}
    DEFAULT = ""
    field_order = ["range", "start", "end"]

    # Bounded years: the dashboard steps a day, a week or a month past the end, which
    # overflows at 9999-12-31 (a 500); no campaign's data lies outside these.
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )

    def clean(self):
        data = super().clean()
        if data.get("range") == "custom":
            if not data.get("start") or not data.get("end"):
                raise ValidationError(_("Give both dates of the period."))
            if data["start"] > data["end"]:
                raise ValidationError(_("The period must start before it ends."))
        return data

    def chosen_period(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("range") or self.DEFAULT
        if chosen == "custom":
            return Period(first=data["start"], last=data["end"])
        if chosen == "all":
            return Period(first=None, last=today)
        return Period(first=today - timedelta(days=self.PRESETS[chosen] - 1), last=today)


class FunnelFilterForm(PeriodForm):
    PRESETS = PRESETS
    DEFAULT = "12w"

    range = forms.ChoiceField(
        label=_("Period"),
        required=False,
        initial="12w",
        choices=[
            ("4w", _("Last 4 weeks")),
            ("12w", _("Last 12 weeks")),
            ("52w", _("Last 12 months")),
            ("all", _("Since the beginning")),
            ("custom", _("From… to…")),
        ],
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("All my territories"),
    )
    cohort = forms.TypedChoiceField(
        label=_("Cohorts: stage reached"),
        required=False,
        initial=int(Stage.ENGAGED),
        coerce=int,
        choices=[(int(s), s.label) for s in Stage if s != Stage.ACQUIRED],
    )

    def __init__(self, *args, territories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = (
            territories if territories is not None else Territory.objects.none()
        )

    def chosen_territory(self) -> Territory | None:
        return self.cleaned_data.get("territory") if self.is_valid() else None

    def chosen_cohort_stage(self) -> Stage:
        value = self.cleaned_data.get("cohort") if self.is_valid() else None
        return Stage(value) if value else Stage.ENGAGED
