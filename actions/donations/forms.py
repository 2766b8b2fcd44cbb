import re

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaign.models import User
from campaign.money import AmountError, money_amount, money_format, money_input, money_parse
from campaign.ownership import default_territory_for, territory_choices_for

from .models import Donation, Drive, Entity
from .rules import CANDIDATE_CAP_CENTS, PARTY_CAP_CENTS, euros, financing_period
from .selectors import DonationFilters


class AmountField(forms.CharField):
    """An amount of money as people write it ("4 600,00 €", "€4,600.00", "35"), cleaned to
    cents more than zero; the error says why it was refused (campaign.money)."""

    def read(self, text: str) -> int:
        return money_amount(text)

    def clean(self, value) -> int | None:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return self.read(text)
        except AmountError as error:
            raise forms.ValidationError(error.message, code="amount") from error


class DeclaredAmountField(AmountField):
    """What a donor declares they gave elsewhere, in cents: zero or more."""

    def read(self, text: str) -> int:
        declared = money_parse(text)
        if declared < 0:
            raise AmountError(str(_("Type 0 if you gave nothing.")))
        return declared


def other_parties_field(*, required: bool, label=None, help_text=None) -> DeclaredAmountField:
    """A party's forms ask what the donor gave other parties this year: the 7,500 € cap is
    for all parties together (loi 88-227, art. 11-4), and only the donor knows the rest."""
    return DeclaredAmountField(
        label=label or _("Given to other political parties this year (€)"),
        max_length=20,
        required=required,
        help_text=help_text
        or _(
            "Gifts and membership fees to all parties together are capped at 7,500 € per "
            "person per year. Type 0 if none."
        ),
        error_messages={"required": _("Say what you gave other parties this year: 0 if none.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class DonationForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("To"), queryset=Entity.objects.all())
    amount = AmountField(
        label=_("Amount (€)"),
        max_length=20,
        help_text=_("e.g. 35 or 35,50"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
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
    # To a party: what the donor declared they gave other parties this year (empty: none).
    other_parties = other_parties_field(
        required=False,
        label=_("Declared given to other parties this year (€)"),
        help_text=_(
            "For a gift to a party: what the donor declared giving other parties this "
            "calendar year, counted in the 7,500 € cap for all parties together."
        ),
    )


class GiveForm(forms.Form):
    """The public page's form. The amount is one of the suggested ones or another."""

    amount = forms.ChoiceField(label=_("Amount"), widget=forms.RadioSelect, required=False)
    other = AmountField(
        label=_("Another amount (€)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    monthly = forms.BooleanField(label=_("Give every month"), required=False)
    # The browser fills in what it knows of the donor (autocomplete), and a phone shows the
    # keypad each field needs (inputmode).
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
    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    street = forms.CharField(
        label=_("Address"),
        max_length=255,
        help_text=_("For the tax receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    commune = forms.CharField(
        label=_("Town"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
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

    # Asked on a party's page only (__init__ takes it away on a candidate's).
    other_parties = other_parties_field(required=True)

    def __init__(
        self, *args, suggested: list[int], card: bool, monthly: bool, party: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not party:
            del self.fields["other_parties"]

        self.fields["amount"].choices = [(str(c), money_format(c, whole=True)) for c in suggested]
        methods = [("cheque", _("Cheque")), ("transfer", _("Transfer"))]
        if card:
            methods.insert(0, ("card", _("Card")))
        self.fields["method"].choices = methods
        self.fields["method"].initial = methods[0][0]
        if not monthly:
            del self.fields["monthly"]

    def clean(self):
        data = super().clean()

        if "other" in self.errors:
            return data  # an amount typed and refused: its field says why
        if data.get("other"):
            data["cents"] = data["other"]
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


# The donations page's filters


NO_DRIVE = "none"


class DonationFilterForm(forms.Form):
    """What the donations page is narrowed to: a page, a status, a payment, a period."""

    drive = forms.ChoiceField(label=_("Fundraising page"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Donation.Status.choices],
    )
    method = forms.ChoiceField(
        label=_("Paid by"),
        required=False,
        choices=[("", _("Any payment")), *Donation.Method.choices],
    )
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = forms.DateField(
        label=_("Received until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, drives: QuerySet[Drive], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drive"].choices = [
            ("", _("Every page, and gifts from none")),
            (NO_DRIVE, _("No page: recorded by hand or imported")),
            *((str(pk), title) for pk, title in drives.values_list("pk", "title")),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def filters(self) -> DonationFilters:
        """The filters asked for; none when the form was not sent or does not hold."""
        if not self.is_bound or not self.is_valid():
            return DonationFilters()
        data = self.cleaned_data
        return DonationFilters(
            drive=int(data["drive"]) if data["drive"].isdigit() else None,
            no_drive=data["drive"] == NO_DRIVE,
            status=data["status"],
            method=data["method"],
            received_from=data["received_from"],
            received_to=data["received_to"],
        )


# Receiving entities (the Django admin's form)


class EntityForm(forms.ModelForm):
    """A receiving entity. A candidate's financing period (L52-4), left empty, is filled in
    from its election's kind and first round, so that the admin shows the dates applied."""

    class Meta:
        model = Entity
        fields = [
            "name",
            "kind",
            "election",
            "election_kind",
            "election_day",
            "financing_from",
            "financing_until",
            "spending_limit_cents",
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("financing_from"), data.get("financing_until")
        if data.get("kind") == Entity.Kind.PARTY:
            if start or end:
                self.add_error(
                    "financing_from",
                    _("A party raises funds all year: it has no financing period."),
                )
            return data
        day = data.get("election_day")
        if day and not data.get("election_kind"):
            self.add_error("election_kind", _("Say which election: its period depends on it."))
        elif day:
            default_start, default_end = financing_period(
                election_kind=data["election_kind"], election_day=day
            )
            data["financing_from"] = start = start or default_start
            data["financing_until"] = end = end or default_end
        if start and end and start > end:
            self.add_error("financing_until", _("The period ends before it starts."))
        return data


# Fundraising pages, made and changed by staff

CAPS = {Entity.Kind.CANDIDATE: CANDIDATE_CAP_CENTS, Entity.Kind.PARTY: PARTY_CAP_CENTS}
MAX_SUGGESTED = 6


class EntityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entity) -> str:
        return f"{obj.name} ({obj.election})" if obj.election else obj.name


class DriveForm(forms.ModelForm):
    """A fundraising page: what the Django admin asked, with amounts typed in euros and
    checked against the law (a suggested gift over the legal cap could never be taken)."""

    entity = EntityChoiceField(
        label=_("Gifts go to"),
        queryset=Entity.objects.all(),
        help_text=_("The candidate's campaign (for an election) or the party receiving them."),
    )
    goal = forms.CharField(
        label=_("Goal (€)"),
        max_length=20,
        help_text=_("In euros, e.g. 10000 or 10000,50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    suggested = forms.CharField(
        label=_("Suggested amounts (€)"),
        max_length=100,
        required=False,
        help_text=_(
            "Up to six amounts in euros, separated by spaces, e.g. 20 35 50 100. "
            "Empty: 20, 35, 50 and 100 €."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    class Meta:
        model = Drive
        fields = ["title", "slug", "entity", "story", "monthly", "status", "territory"]
        widgets = {"story": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "slug": _(
                "The end of the page's address, /don/<address>/: lowercase letters, digits "
                "and hyphens. Empty: made from the title. Changing it breaks the links "
                "already shared."
            ),
            "status": _(
                "A draft is seen by staff only; a closed page shows its total and "
                "takes no more gifts."
            ),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        territory = self.fields["territory"]
        territory.queryset = territory_choices_for(user)
        # Empty means the whole campaign's, which only administrators change.
        territory.required = not user.is_admin
        if self.instance.pk:
            self.initial["goal"] = money_input(self.instance.goal_cents)
            self.initial["suggested"] = " ".join(
                money_input(c) for c in self.instance.suggested_cents or []
            )
        else:
            default = default_territory_for(user)
            self.initial["territory"] = default.pk if default else None

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].strip().lower()

    def clean_goal(self) -> int:
        try:
            goal = money_parse(self.cleaned_data["goal"])
        except AmountError as error:
            raise forms.ValidationError(error.message) from error
        if goal <= 0:
            raise forms.ValidationError(_("The goal must be more than zero."))
        return goal

    def clean_suggested(self) -> list[int]:
        amounts = []
        # Spaces or semicolons part the amounts: a comma is the French decimal mark.
        for word in re.split(r"[\s;]+", self.cleaned_data["suggested"]):
            word = word.strip(",")
            if not word:
                continue
            try:
                amounts.append(money_parse(word))
            except ValueError as error:
                raise forms.ValidationError(
                    _("“%(amount)s” cannot be read as an amount."), params={"amount": word}
                ) from error
        if any(c <= 0 for c in amounts):
            raise forms.ValidationError(_("Each amount must be more than zero."))
        amounts = sorted(set(amounts))
        if len(amounts) > MAX_SUGGESTED:
            raise forms.ValidationError(
                _("At most %(n)s amounts: a page offers a few."), params={"n": MAX_SUGGESTED}
            )
        return amounts

    def clean(self):
        data = super().clean()
        entity, amounts = data.get("entity"), data.get("suggested") or []
        cap = CAPS.get(entity.kind) if entity else None
        if cap is not None and any(c > cap for c in amounts):
            self.add_error(
                "suggested",
                _("Over %(cap)s, a gift to %(entity)s is against the law: suggest less.")
                % {"cap": euros(cap), "entity": entity.name},
            )
        return data

    def save(self, commit: bool = True) -> Drive:
        drive = super().save(commit=False)
        drive.goal_cents = self.cleaned_data["goal"]
        drive.suggested_cents = self.cleaned_data["suggested"]
        if commit:
            drive.save()
        return drive
