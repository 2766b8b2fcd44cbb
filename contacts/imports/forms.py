from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.ownership import default_territory_for, territory_choices_for

from .mapping import CUSTOM_PREFIX, FIELDS, IGNORE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_UPLOAD_MB = 300


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"})
    )
    source_detail = forms.CharField(
        label=_("Source"),
        max_length=255,
        required=False,
        help_text=_(
            "Where the file comes from, shown as each new contact's origin. "
            "The file name if left empty."
        ),
    )
    tags = forms.CharField(
        label=_("Tags for every row"),
        required=False,
        help_text=_("Separated by commas."),
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here, not in the class body: the text must follow the language of the request.
        self.fields["file"].help_text = _(
            "CSV (any separator, UTF-8 or Windows-1252) or XLSX, up to %(mb)d MB."
        ) % {"mb": MAX_UPLOAD_MB}
        # An organizer with several territories says where lines without an address go.
        if user is not None and not user.is_admin:
            territories = territory_choices_for(user)
            if territories.count() > 1:
                self.fields["territory"] = forms.ModelChoiceField(
                    label=_("Territory for lines without an address"),
                    queryset=territories,
                    initial=default_territory_for(user),
                    help_text=_(
                        "New contacts without any address are placed there, so that they stay "
                        "in your territories."
                    ),
                )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("This file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_MB}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        return upload

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class MappingForm(forms.Form):
    """One select per column of the file: a field, a custom field of the same name, or nothing;
    and whether to keep every column left on "do not import" as a custom field, in one step."""

    keep_others = forms.BooleanField(
        label=_("Keep every other column as a custom field"),
        required=False,
        help_text=_(
            "Each column left on “do not import” is kept in a custom field of its own name "
            "(birthplace and nationality excepted)."
        ),
    )

    def __init__(
        self, *args, headers: list[str], mapping: dict[str, str], forbidden: list[str], **kw
    ):
        super().__init__(*args, **kw)
        self.headers = headers
        self.forbidden = forbidden
        for index, header in enumerate(headers):
            choices: list[tuple[str, StrOrPromise]] = [(IGNORE, _("— do not import —"))]
            if header not in forbidden:
                choices += list(FIELDS.items())
                choices.append(
                    (CUSTOM_PREFIX + header, _("Custom field “%(name)s”") % {"name": header})
                )
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=choices, initial=mapping.get(header, IGNORE), required=True
            )

    def columns(self) -> list[tuple[str, forms.BoundField]]:
        """(header, its select), in the file's order."""
        return [(h, self[f"col_{i}"]) for i, h in enumerate(self.headers)]

    def left_out(self) -> list[str]:
        """The columns that the choices shown (asked, or guessed) leave out of the import."""
        keep_others = bool(self["keep_others"].value())
        return [
            header
            for header, field in self.columns()
            if field.value() == IGNORE and (header in self.forbidden or not keep_others)
        ]

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"col_{i}"] for i, h in enumerate(self.headers)}
