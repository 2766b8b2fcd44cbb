from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import territory_field
from campaign.models import Territory
from contacts.models import Segment

from .models import Blast, Sender


class BlastForm(forms.ModelForm):
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.all())
    sender = forms.ModelChoiceField(
        label=_("Sender"),
        queryset=Sender.objects.filter(is_verified=True),
        help_text=_("Only verified senders (set by an administrator) can send."),
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("The whole campaign"),
        help_text=_("Its organizers and the administrators may change, send or stop it."),
    )

    class Meta:
        model = Blast
        fields = [
            "name",
            "territory",
            "segment",
            "sender",
            "subject",
            "preheader",
            "body",
            "track_clicks",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, segments, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments
        territory_field(self, user)
        senders = list(self.fields["sender"].queryset[:2])
        if len(senders) == 1 and not self.instance.pk:  # the one verified sender: chosen
            self.fields["sender"].initial = senders[0].pk


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
