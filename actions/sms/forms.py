from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import territory_field
from campaign.models import Territory
from contacts.models import Segment

from .models import Blast
from .text import unknown_fields


class BlastForm(forms.ModelForm):
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.all())
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("The whole campaign"),
        help_text=_("Its organizers and the administrators may change, send or stop it."),
    )

    class Meta:
        model = Blast
        fields = ["name", "territory", "segment", "body", "quiet_start", "quiet_end"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5, "data-sms-body": ""}),
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, segments, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments
        territory_field(self, user)
        self.fields["quiet_start"].required = False
        self.fields["quiet_end"].required = False

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        unknown = unknown_fields(body)
        if unknown:
            raise forms.ValidationError(
                _("Unknown merge field: %(fields)s. Use {prenom}, {nom} or {commune}.")
                % {"fields": ", ".join(f"{{{f}}}" for f in unknown)}
            )
        return body


class TestSendForm(forms.Form):
    to = forms.CharField(
        label=_("Your mobile number"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class OptOutImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of numbers (CSV or Excel)"),
        help_text=_("One number per line, in any format; the phone column is found by its name."),
    )
    source = forms.CharField(
        label=_("Where these opt-outs come from"),
        max_length=200,
        initial="36180",
        help_text=_("Recorded with each withdrawn consent, e.g. 36180, or the name of the list."),
    )
