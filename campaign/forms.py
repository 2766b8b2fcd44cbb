"""Form pieces the apps share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .ownership import default_territory_for, territory_choices_for


def territory_field(
    form: forms.ModelForm, user: User, *, organizers_must_choose: bool = True
) -> None:
    """Sets up the `territory` field of a campaign object's form (whose it is) for `user`:
    the territories they may give it to. An administrator may leave it to the whole
    campaign (the empty choice); an organizer has no empty choice, and must choose unless
    `organizers_must_choose` is False (the view then gives them their own). A new object
    starts at the author's own territory (an administrator's: the whole campaign)."""
    field = form.fields["territory"]
    field.queryset = territory_choices_for(user)
    if user.is_admin:
        field.required, field.empty_label = False, _("The whole campaign")
    else:
        field.required, field.empty_label = organizers_must_choose, None
    if form.instance.pk is None:
        form.initial.setdefault("territory", default_territory_for(user))
