"""Forms for staff pages. They parse and validate; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from campaign.models import Territory

from .models import Channel, ConsentStatus, Contact, Segment, Source, Tag
from .services import CONTACT_FIELDS


class ContactForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas."),
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )
    custom_fields_text = forms.CharField(
        label=_("Custom fields"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name = value"),
    )

    class Meta:
        model = Contact
        # Custom fields are edited as text lines (custom_fields_text) instead.
        fields = [name for name in CONTACT_FIELDS if name != "custom_fields"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, contact: Contact | None = None, **kwargs):
        # The contact only fills the initial values: validating a ModelForm writes into its
        # instance, and the service must see the contact as it was to know what changed.
        if contact is not None:
            kwargs["initial"] = {
                **{name: getattr(contact, name) for name in self.Meta.fields},
                "tags": ", ".join(t.name for t in contact.tags.all()),
                "custom_fields_text": "\n".join(
                    f"{k} = {v}" for k, v in (contact.custom_fields or {}).items()
                ),
            }
        super().__init__(*args, **kwargs)

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not (value.isdigit() and len(value) == 5):
            raise ValidationError(_("A French postal code has 5 digits."))
        return value

    def clean_insee_code(self) -> str:
        value = self.cleaned_data["insee_code"].strip().upper()
        if value and len(value) != 5:
            raise ValidationError(_("An INSEE code has 5 characters (e.g. 69381)."))
        return value

    def clean_custom_fields_text(self) -> dict:
        fields = {}
        for number, line in enumerate(self.cleaned_data["custom_fields_text"].splitlines(), 1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise ValidationError(_("Line %(n)d: write name = value.") % {"n": number})
            fields[name.strip()] = value.strip()
        return fields

    def clean(self):
        data = super().clean()
        if not (data.get("first_name") or data.get("last_name")):
            raise ValidationError(_("Give at least a first name or a last name."))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["custom_fields"] = data.pop("custom_fields_text")
        data["tags"] = [t.strip() for t in data.pop("tags").split(",") if t.strip()]
        return data


class EmailForm(forms.Form):
    address = forms.EmailField(label=_("Email"), required=False)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


class PhoneForm(forms.Form):
    number = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


EmailFormSet = formset_factory(EmailForm, extra=1)
PhoneFormSet = formset_factory(PhoneForm, extra=1)


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ConsentStatus.choices)
    wording = forms.CharField(
        label=_("Wording shown or said to the person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Name, email, phone, commune or postal code")}
        ),
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=Tag.objects.none(), required=False, empty_label=_("All tags")
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("All my territories"),
    )
    consent_channel = forms.ChoiceField(
        label=_("Consent"), choices=[("", _("Any channel"))] + Channel.choices, required=False
    )
    consent_status = forms.ChoiceField(
        label=_("Consent status"), choices=ConsentStatus.choices, required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("Any source"))] + Source.choices, required=False
    )
    segment = forms.ModelChoiceField(
        label=_("Segment"), queryset=Segment.objects.none(), required=False, empty_label=_("None")
    )
    order = forms.ChoiceField(
        label=_("Sort"),
        choices=[("newest", _("Newest first")), ("name", _("By name"))],
        required=False,
    )

    def __init__(self, *args, tags, territories, segments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = tags
        self.fields["territory"].queryset = territories
        self.fields["segment"].queryset = segments.order_by("name")
