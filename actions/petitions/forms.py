from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from campaign.ownership import default_territory_for, territory_choices_for
from contacts.funnel.forms import PeriodForm
from contacts.normalize import phone_read

from .images import MAX_PIXELS, TOO_LARGE
from .models import Petition

# Frequent typos of the big mail providers: caught without asking any DNS server.
TYPO_DOMAINS = {
    "gmial.com": "gmail.com",
    "gmai.com": "gmail.com",
    "gmail.fr": "gmail.com",
    "gmal.com": "gmail.com",
    "gamil.com": "gmail.com",
    "hotmial.com": "hotmail.com",
    "hotmail.frr": "hotmail.fr",
    "orange.ff": "orange.fr",
    "oragne.fr": "orange.fr",
    "wanadoo.ff": "wanadoo.fr",
    "yahoo.ff": "yahoo.fr",
    "yaho.fr": "yahoo.fr",
    "outlok.fr": "outlook.fr",
    "laposte.nte": "laposte.net",
}


class SignForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    # Left empty by people; bots fill every field.
    website = forms.CharField(
        required=False,
        label="",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        for channel, wording in petition.consent_wordings().items():
            self.fields[f"consent_{channel}"] = forms.BooleanField(label=wording, required=False)
        for index, question in enumerate(petition.questions or []):
            label = question.get("label", "") if isinstance(question, dict) else str(question)
            required = bool(question.get("required")) if isinstance(question, dict) else False
            self.fields[f"question_{index}"] = forms.CharField(
                label=label,
                required=required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        validate_email(email)
        domain = email.rsplit("@", 1)[1]
        if domain in TYPO_DOMAINS:
            raise ValidationError(
                _("Did you mean %(suggestion)s?")
                % {"suggestion": email.rsplit("@", 1)[0] + "@" + TYPO_DOMAINS[domain]}
            )
        return email

    def clean_postal_code(self) -> str:
        value = "".join(self.cleaned_data["postal_code"].split())
        if not (value.isdigit() and len(value) == 5):
            raise ValidationError(_("A French postal code has 5 digits."))
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not phone_read(value).is_valid:
            raise ValidationError(_("This phone number cannot be read. Try 06 12 34 56 78."))
        return value

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def consent_fields(self):
        return [self[name] for name in self.fields if name.startswith("consent_")]

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith("question_")]

    def answers(self) -> dict[str, str]:
        labels = {f"question_{i}": f.label for i, f in enumerate(self.question_fields())}
        return {
            labels[name]: self.cleaned_data[name] for name in labels if self.cleaned_data.get(name)
        }

    def consents(self) -> dict[str, bool]:
        return {
            name.removeprefix("consent_"): bool(self.cleaned_data.get(name))
            for name in self.fields
            if name.startswith("consent_")
        }


MAX_UPLOAD_BYTES = 15 * 1024 * 1024


class PetitionForm(forms.ModelForm):
    next_step_url = forms.URLField(label=_("next step link"), required=False, assume_scheme="https")
    questions_text = forms.CharField(
        label=_("Extra questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. End a line with * to make the answer required."),
    )

    class Meta:
        model = Petition
        fields = [
            "title",
            "target",
            "text",
            "image",
            "image_alt",
            "goal",
            "end_date",
            "consent_email",
            "consent_sms",
            "consent_phone",
            "tags",
            "next_step",
            "next_step_url",
            "double_opt_in",
            "data_controller",
            "territory",
        ]
        widgets = {
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 10}),
            "consent_email": forms.Textarea(attrs={"rows": 2}),
            "consent_sms": forms.Textarea(attrs={"rows": 2}),
            "consent_phone": forms.Textarea(attrs={"rows": 2}),
            "tags": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        territory.queryset = territory_choices_for(user)
        # Empty means the whole campaign's, which only administrators change.
        territory.required = not user.is_admin
        if not self.instance.pk:
            default = default_territory_for(user)
            self.initial["territory"] = default.pk if default else None
        if self.instance.pk:
            self.initial["questions_text"] = "\n".join(
                q["label"] + (" *" if q.get("required") else "")
                for q in self.instance.questions or []
            )

    def clean_questions_text(self) -> list[dict]:
        questions = []
        for line in self.cleaned_data["questions_text"].splitlines():
            line = line.strip()
            if line:
                required = line.endswith("*")
                questions.append({"label": line.rstrip("*").strip(), "required": required})
        return questions

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return cleaned

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and not getattr(image, "_committed", True):  # a new upload
            if image.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("This image is over 15 MB."))
            decoded = getattr(image, "image", None)  # what Django's image check opened
            if decoded is not None and decoded.width * decoded.height > MAX_PIXELS:
                raise ValidationError(TOO_LARGE())
        return image

    def save(self, commit=True):
        self.instance.questions = self.cleaned_data["questions_text"]
        return super().save(commit=commit)


# The petition page's periods: a petition lives by days and weeks more than the funnel does.
PERIOD_DAYS = {"7d": 7, "30d": 30, "12w": 84}


class PetitionPeriodForm(PeriodForm):
    """The period of the petition page's figures: a preset, or two dates (as the funnel's)."""

    PRESETS = PERIOD_DAYS
    DEFAULT = "30d"

    range = forms.ChoiceField(
        label=_("Period"),
        required=False,
        initial="30d",
        choices=[
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
            ("12w", _("Last 12 weeks")),
            ("all", _("Since the beginning")),
            ("custom", _("From… to…")),
        ],
    )
