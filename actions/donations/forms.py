from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Donation, Entity
from .rules import euros
from .services import cents


class DonationForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("To"), queryset=Entity.objects.all())
    amount = forms.CharField(label=_("Amount (€)"), max_length=20, help_text=_("e.g. 35 or 35,50"))
    method = forms.ChoiceField(label=_("Paid by"), choices=Donation.Method.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Donation.Kind.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    natural_person = forms.BooleanField(
        label=_("The donor gives as a natural person (not a company or association)"),
        required=False,
    )
    french_or_resident = forms.BooleanField(
        label=_("The donor declared French nationality or residence in France"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class GiveForm(forms.Form):
    """The public page's form. The amount is one of the suggested ones or another."""

    amount = forms.ChoiceField(label=_("Amount"), widget=forms.RadioSelect, required=False)
    other = forms.CharField(label=_("Another amount (€)"), max_length=12, required=False)
    monthly = forms.BooleanField(label=_("Give every month"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    street = forms.CharField(
        label=_("Address"), max_length=255, help_text=_("For the tax receipt.")
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=10)
    commune = forms.CharField(label=_("Town"), max_length=150)
    method = forms.ChoiceField(label=_("Pay by"), widget=forms.RadioSelect)
    natural_person = forms.BooleanField(
        label=_("I give in my own name, as a natural person, from my own money"),
        error_messages={"required": _("The law allows gifts from natural persons only.")},
    )
    french_or_resident = forms.BooleanField(
        label=_("I am a French national or I live in France"),
        error_messages={
            "required": _("The law allows gifts from French nationals or residents only.")
        },
    )

    def __init__(self, *args, suggested: list[int], card: bool, monthly: bool, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["amount"].choices = [
            (str(c), f"{c // 100} €" if c % 100 == 0 else euros(c)) for c in suggested
        ]
        methods = [("cheque", _("Cheque")), ("transfer", _("Transfer"))]
        if card:
            methods.insert(0, ("card", _("Card")))
        self.fields["method"].choices = methods
        self.fields["method"].initial = methods[0][0]
        if not monthly:
            del self.fields["monthly"]

    def clean(self):
        data = super().clean()

        other = (data.get("other") or "").strip()
        if other:
            try:
                data["cents"] = cents(other)
            except Exception as error:  # an unreadable amount
                raise forms.ValidationError(_("This amount cannot be read.")) from error
        elif (data.get("amount") or "").isdigit():
            data["cents"] = int(data["amount"])  # one of the suggested amounts, in cents
        else:
            raise forms.ValidationError(_("Choose an amount."))
        return data


class ProviderImportForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("To"), queryset=Entity.objects.all())
    provider = forms.SlugField(
        label=_("Provider"),
        max_length=30,
        initial="helloasso",
        help_text=_("Its name keys the transaction ids: the same file twice counts once."),
    )
    file = forms.FileField(label=_("The provider's export (CSV or Excel)"))
    declared = forms.BooleanField(
        label=_("The provider's form asked each donor for both declarations the law requires"),
        error_messages={"required": _("Without the declarations, these gifts cannot be taken.")},
    )
