"""The write rule for campaign objects: the owning territory's organizers and the admins."""

import pytest
from django.http import Http404

from actions.sms.models import Blast
from campaign import ownership

pytestmark = pytest.mark.django_db


class FakeOwned:
    def __init__(self, territory_id):
        self.territory_id = territory_id


def test_an_organizer_may_change_only_their_territorys_objects(
    organizer_lyon, organizer_paris, lyon_1er
):
    lyon_owned = FakeOwned(lyon_1er.pk)

    assert ownership.may_change(organizer_lyon, lyon_owned)
    assert not ownership.may_change(organizer_paris, lyon_owned)


def test_the_whole_campaigns_objects_are_changed_by_admins_only(
    admin_user, organizer_lyon, volunteer
):
    national = FakeOwned(None)

    assert ownership.may_change(admin_user, national)
    assert not ownership.may_change(organizer_lyon, national)
    assert not ownership.may_change(volunteer, national)


def test_an_organizer_is_given_their_own_territory_and_an_admin_the_whole_campaign(
    organizer_lyon, admin_user, lyon_1er
):
    assert ownership.default_territory_for(organizer_lyon) == lyon_1er
    assert ownership.default_territory_for(admin_user) is None
    assert list(ownership.territory_choices_for(organizer_lyon)) == [lyon_1er]


def test_a_volunteer_sees_no_campaign_object(volunteer, admin_user):
    from contacts.models import Segment

    segment = Segment.objects.create(name="Tous", filters={}, created_by=admin_user)
    Blast.objects.create(
        name="Rappel", segment=segment, body="Bonjour", quiet_start="21:00", quiet_end="09:00"
    )

    assert not ownership.owned_visible_to(Blast.objects.all(), volunteer).exists()
    with pytest.raises(Http404):
        ownership.get_changeable_or_404(Blast.objects.all(), volunteer, name="Rappel")


def test_an_object_out_of_scope_is_a_404_as_a_missing_one(admin_user):
    from contacts.models import Segment

    segment = Segment.objects.create(name="Tous", filters={}, created_by=admin_user)
    in_scope = Segment.objects.filter(name="Tous")

    assert ownership.get_in_scope_or_404(in_scope, pk=segment.pk) == segment
    with pytest.raises(Http404):
        ownership.get_in_scope_or_404(in_scope.none(), pk=segment.pk)
    with pytest.raises(Http404):
        ownership.get_in_scope_or_404(in_scope, pk=segment.pk + 1)
