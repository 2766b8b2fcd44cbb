from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from campaign.forms import territory_field
from campaign.models import Territory
from contacts.models import Segment, Tag

from ..models import P2PCampaign
from ..text import unknown_fields


def _known_fields_only(value: str) -> str:
    unknown = unknown_fields(value)
    if unknown:
        raise forms.ValidationError(
            _("Unknown merge field: %(fields)s. Use {prenom}, {nom} or {commune}.")
            % {"fields": ", ".join(f"{{{f}}}" for f in unknown)}
        )
    return value.strip()


class P2PCampaignForm(forms.ModelForm):
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.all())
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("The whole campaign"),
        help_text=_("Its organizers and the administrators may change it and hand it out."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags volunteers may add"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = P2PCampaign
        fields = [
            "name",
            "territory",
            "segment",
            "script",
            "tags",
            "batch_size",
            "volunteers_ask_for_more",
            "quiet_start",
            "quiet_end",
        ]
        widgets = {
            "script": forms.Textarea(attrs={"rows": 4, "data-sms-body": ""}),
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, segments, user, started: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments
        territory_field(self, user)
        self.fields["quiet_start"].required = False
        self.fields["quiet_end"].required = False
        self.fields["batch_size"].widget.attrs.update({"min": 1, "max": 1000})
        if started:  # fixed once texts have gone out
            self.fields["script"].disabled = True
            self.fields["segment"].disabled = True

    def clean_script(self) -> str:
        return _known_fields_only(self.cleaned_data["script"])


class CannedAnswerForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_body(self) -> str:
        return _known_fields_only(self.cleaned_data["body"])


class SurveyQuestionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Question"), max_length=300)
    choices = forms.CharField(
        label=_("Answers, one per line"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_choices(self) -> str:
        lines = [c.strip()[:200] for c in self.cleaned_data["choices"].splitlines() if c.strip()]
        if len(lines) < 2:
            raise forms.ValidationError(_("Give at least two answers."))
        return "\n".join(lines)


CannedFormSet = formset_factory(CannedAnswerForm, extra=1, can_delete=True)
QuestionFormSet = formset_factory(SurveyQuestionForm, extra=1, can_delete=True)


def formset_items(formset) -> list[dict]:
    """The filled rows of a formset, for the service: blank extra rows left out."""
    items = []
    for form in formset:
        data = form.cleaned_data
        if not data or (not data.get("id") and data.get("DELETE")):
            continue
        items.append({**data, "delete": data.get("DELETE", False)})
    return items


class AssignForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=None)
    count = forms.IntegerField(label=_("How many people"), min_value=1, max_value=5000)

    def __init__(self, *args, volunteers, batch_size: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["count"].initial = batch_size


class ReassignForm(forms.Form):
    conversations = forms.TypedMultipleChoiceField(coerce=int, choices=())
    volunteer = forms.ModelChoiceField(
        label=_("Hand to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody (back to the pool)"),
    )

    def __init__(self, *args, volunteers, conversation_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["conversations"].choices = [(i, i) for i in conversation_ids]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "data-reply-body": ""}),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RecordForm(forms.Form):
    """Survey answers and tags; fields are made from the campaign."""

    def __init__(self, *args, campaign: P2PCampaign, answers: dict, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(campaign.questions.all())
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text,
                required=False,
                choices=[("", _("No answer"))] + [(c, c) for c in question.choice_list],
                widget=forms.RadioSelect,
                initial=answers.get(question.pk, ""),
            )
        offered = list(campaign.tags.values_list("name", flat=True))
        if offered:
            self.fields["tags"] = forms.MultipleChoiceField(
                label=_("Tags"),
                required=False,
                choices=[(t, t) for t in offered],
                widget=forms.CheckboxSelectMultiple,
                initial=[t for t in offered if t in tags],
            )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}", "") for q in self.questions}
