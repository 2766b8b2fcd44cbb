from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Donation, Entity


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
