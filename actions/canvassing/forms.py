from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from campaign.forms import territory_field
from campaign.models import User

from .models import CanvassCampaign, Question


class CampaignForm(forms.ModelForm):
    class Meta:
        model = CanvassCampaign
        fields = ["name", "territory", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # An organizer who sends none gets their own (views).
        territory_field(self, user, organizers_must_choose=False)


class QuestionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # An untouched extra row shows the first kind: the same as its initial, so it is
    # "unchanged" and left out, not refused for its empty question.
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Question.Kind.choices, initial=Question.Kind.SUPPORT
    )
    text = forms.CharField(label=_("Question"), max_length=300)
    choices = forms.CharField(
        label=_("Answers (multiple choice), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


QuestionFormSet = formset_factory(QuestionForm, extra=1, can_delete=True)


class ResultCodeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=30, required=False)
    label = forms.CharField(label=_("Label"), max_length=80, required=False)
    talked = forms.BooleanField(label=_("Counts as a conversation"), required=False)


ResultCodeFormSet = formset_factory(ResultCodeForm, extra=1)

CUT_CHOICES = [
    ("commune", _("Commune (INSEE code or name)")),
    ("postal_code", _("Postal code")),
    ("bureau", _("Polling station (e.g. 69381-0101)")),
    ("streets", _("Streets of a commune or postal code")),
]


class CutForm(forms.Form):
    name = forms.CharField(label=_("Turf name"), max_length=150)
    kind = forms.ChoiceField(label=_("Cut by"), choices=CUT_CHOICES)
    values = forms.CharField(
        label=_("Codes or names"), help_text=_("Several, separated by commas."), max_length=2000
    )
    streets = forms.CharField(
        label=_("Streets (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    max_doors = forms.IntegerField(
        label=_("Doors per turf"),
        required=False,
        min_value=5,
        max_value=2000,
        help_text=_("Leave empty for one turf; buildings are never split."),
    )


class AssignForm(forms.Form):
    # Volunteers only: a turf hands its people's names and doors to whoever walks it, and
    # staff already reach the turfs of their own territories.
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Volunteers (one, or a team)"),
        queryset=User.objects.filter(is_active=True, role=User.Role.VOLUNTEER).order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
