"""Form pieces the apps share."""

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Territory, User
from .ownership import default_territory_for, territory_choices_for


class _TerritoryList:
    """Territories as a list of choices to tick, under a text filter that keeps those whose
    name, kind or code has every word typed (static/js/territory_picker.js). Without the
    script the filter stays hidden and the list is a plain, scrollable one: no Ctrl-click,
    no label cut short."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = super().render(name, value, attrs, renderer)  # the widget it is mixed into
        list_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<div class="territory-picker" data-territory-picker>'
            '<div class="picker-filter" hidden><label for="{}_filter">{}</label>'
            '<input type="search" id="{}_filter" aria-controls="{}" autocomplete="off">'
            '<span class="muted" aria-live="polite" data-picker-status></span></div>'
            '<div class="picker-list">{}</div></div>'
            '<script src="{}" defer></script>',
            list_id,
            gettext("Find a territory"),
            list_id,
            list_id,
            choices,
            static("js/territory_picker.js"),
        )


class TerritoryPicker(_TerritoryList, forms.CheckboxSelectMultiple):
    """Several territories (a segment's "in these territories")."""


class TerritoryChoice(_TerritoryList, forms.RadioSelect):
    """One territory (whose an object is)."""


def territory_choice_setup(field: forms.Field, queryset: QuerySet[Territory]) -> None:
    """A territory field (one, or several) made readable and searchable (_TerritoryList)."""
    choice = cast(forms.ModelChoiceField, field)
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    choice.widget = TerritoryPicker() if multiple else TerritoryChoice()
    choice.queryset = queryset  # also hands the choices to the new widget


def territory_field(
    form: forms.ModelForm, user: User, *, organizers_must_choose: bool = True
) -> None:
    """Sets up the `territory` field of a campaign object's form (whose it is) for `user`:
    the territories they may give it to. An administrator may leave it to the whole
    campaign (the empty choice); an organizer has no empty choice, and must choose unless
    `organizers_must_choose` is False (the view then gives them their own). A new object
    starts at the author's own territory (an administrator's: the whole campaign)."""
    field = form.fields["territory"]
    territory_choice_setup(field, territory_choices_for(user))
    if user.is_admin:
        field.required, field.empty_label = False, _("The whole campaign")
    else:
        field.required, field.empty_label = organizers_must_choose, None
    if form.instance.pk is None:
        form.initial.setdefault("territory", default_territory_for(user))
