from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import territory_choice_setup
from contacts.models import Channel, ConsentStatus, Source

from .filters import CONSENT_ANY, SegmentFilters, action_offers

CONSENT_CHOICES = [(CONSENT_ANY, _("Any")), *ConsentStatus.choices]


def _codes(text: str) -> list[str]:
    return sorted(
        {c.strip() for c in text.replace(";", ",").replace("\n", ",").split(",") if c.strip()}
    )


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Whose it is"),
        queryset=None,
        required=False,
        help_text=_(
            "This territory's organizers and the administrators change it; everyone of the "
            "campaign's staff may use a segment of the whole campaign."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    tags_any = forms.ModelMultipleChoiceField(
        label=_("With at least one of these tags"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    tags_none = forms.ModelMultipleChoiceField(
        label=_("With none of these tags"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("In these territories"), queryset=None, required=False
    )
    postal_codes = forms.CharField(
        label=_("Or these postal codes"), required=False, help_text=_("Separated by commas.")
    )
    insee_codes = forms.CharField(label=_("Or these communes (INSEE codes)"), required=False)
    bureaux = forms.CharField(
        label=_("Or these polling stations"), required=False, help_text=_("e.g. 69381-0101")
    )
    sources = forms.MultipleChoiceField(
        label=_("Came from"),
        choices=Source.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    added_after = forms.DateField(
        label=_("Added from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    added_before = forms.DateField(
        label=_("Added until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, tags, territories, owners=None, require_name: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # `owners`: the territories the user may give a segment to (campaign.ownership);
        # an administrator may also leave it to the whole campaign (empty).
        owner = self.fields["owner"]
        territory_choice_setup(owner, owners if owners is not None else territories.none())
        owner.empty_label = _("The whole campaign")
        self.fields["tags_any"].queryset = tags
        self.fields["tags_none"].queryset = tags
        territory_choice_setup(self.fields["territories"], territories)
        self.fields["name"].required = require_name
        for name, offer in action_offers().items():
            self.fields[f"action_{name}"] = forms.ChoiceField(
                label=offer.label, choices=[("", "—"), *offer.choices()], required=False
            )
        for value, label in Channel.choices:
            self.fields[f"consent_{value}"] = forms.ChoiceField(
                label=_("Consent: %(channel)s") % {"channel": label},
                choices=CONSENT_CHOICES,
                required=False,
            )

    def action_fields(self):
        return [self[f"action_{name}"] for name in action_offers()]

    def consent_fields(self):
        return [self[f"consent_{value}"] for value in Channel.values]

    def to_filters(self) -> SegmentFilters:
        data = self.cleaned_data
        return SegmentFilters(
            tags_any=sorted(t.pk for t in data["tags_any"]),
            tags_none=sorted(t.pk for t in data["tags_none"]),
            territories=sorted(t.pk for t in data["territories"]),
            postal_codes=_codes(data["postal_codes"]),
            insee_codes=_codes(data["insee_codes"]),
            bureaux=_codes(data["bureaux"]),
            consent={c: data[f"consent_{c}"] for c in Channel.values if data.get(f"consent_{c}")},
            sources=sorted(data["sources"]),
            added_after=data["added_after"].isoformat() if data["added_after"] else "",
            added_before=data["added_before"].isoformat() if data["added_before"] else "",
            actions={
                name: {offer.param: data[f"action_{name}"]}
                for name, offer in action_offers().items()
                if data.get(f"action_{name}")
            },
        )

    @staticmethod
    def initial_from(segment) -> dict:
        f = SegmentFilters.from_dict(segment.filters)
        initial = {
            "name": segment.name,
            "owner": segment.territory_id,
            "description": segment.description,
            "tags_any": f.tags_any,
            "tags_none": f.tags_none,
            "territories": f.territories,
            "postal_codes": ", ".join(f.postal_codes),
            "insee_codes": ", ".join(f.insee_codes),
            "bureaux": ", ".join(f.bureaux),
            "sources": f.sources,
            "added_after": f.added_after or None,
            "added_before": f.added_before or None,
        }
        initial.update({f"consent_{c}": s for c, s in f.consent.items()})
        offers = action_offers()
        initial.update(
            {
                f"action_{name}": str(params.get(offers[name].param, ""))
                for name, params in f.actions.items()
                if name in offers
            }
        )
        return initial
