"""The territory field of a campaign object's form: whose the object will be."""

import pytest
from django import forms

from actions.sms.models import Blast
from campaign.forms import territory_field

pytestmark = pytest.mark.django_db


class OwnerForm(forms.ModelForm):
    class Meta:
        model = Blast
        fields = ["territory"]

    def __init__(self, *args, user, organizers_must_choose: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        territory_field(self, user, organizers_must_choose=organizers_must_choose)


def test_an_organizer_chooses_among_their_own_territories_and_starts_at_theirs(
    organizer_lyon, lyon_1er
):
    form = OwnerForm(user=organizer_lyon)
    field = form.fields["territory"]

    assert list(field.queryset) == [lyon_1er]
    assert field.required
    assert field.empty_label is None
    assert form["territory"].initial == lyon_1er


def test_an_organizer_may_send_none_where_the_view_gives_their_own(organizer_lyon):
    form = OwnerForm(user=organizer_lyon, organizers_must_choose=False)

    assert not form.fields["territory"].required


def test_an_administrator_may_leave_it_to_the_whole_campaign(admin_user):
    form = OwnerForm(user=admin_user)
    field = form.fields["territory"]

    assert not field.required
    assert field.empty_label == "Toute la campagne"  # the empty choice, in French
    assert form["territory"].initial is None
