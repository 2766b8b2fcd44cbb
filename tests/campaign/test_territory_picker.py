"""Territory pickers: a list of whole, readable labels to tick ("Amiens — commune, INSEE
80021"), under a labelled text filter, instead of a narrow Ctrl-click list cut short."""

import pytest
from django.urls import reverse

from campaign.models import Territory
from contacts.models import Segment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "code", "label"),
    [
        ("commune", "80021", "Amiens — commune, INSEE 80021"),
        ("postal_code", "80000", "Amiens — code postal 80000"),
        ("bureau", "80021-0001", "Amiens — bureau de vote 80021-0001"),
    ],
)
def test_a_territory_reads_name_first_then_kind_and_code(kind, code, label):
    assert str(Territory(kind=kind, code=code, name="Amiens")) == label


def test_the_segment_builder_lists_territories_to_tick_under_a_filter(client_as, admin_user):
    Territory.objects.create(kind="commune", code="80021", name="Amiens")

    html = client_as(admin_user).get(reverse("contacts:segment_new")).content.decode()

    assert '<select name="territories"' not in html
    assert 'type="checkbox" name="territories"' in html
    assert "Amiens — commune, INSEE 80021</label>" in html
    assert '<label for="id_territories_filter">Chercher un territoire</label>' in html
    assert 'aria-controls="id_territories"' in html
    assert "js/territory_picker.js" in html


def test_a_segment_is_saved_with_the_territories_ticked(client_as, admin_user, lyon_1er):
    client_as(admin_user).post(
        reverse("contacts:segment_new"), {"name": "Lyonnais", "territories": [lyon_1er.pk]}
    )

    assert Segment.objects.get().filters["territories"] == [lyon_1er.pk]


def test_an_administrator_chooses_whose_a_blast_is_among_radios_the_whole_campaign_first(
    client_as, admin_user, lyon_1er
):
    html = client_as(admin_user).get(reverse("sms:new")).content.decode()

    assert 'type="radio" name="territory" value=""' in html
    assert f"{lyon_1er}</label>" in html


def test_an_organizer_chooses_among_their_own_territories_only(
    client_as, organizer_lyon, lyon_1er, paris_11e
):
    html = client_as(organizer_lyon).get(reverse("canvassing:new")).content.decode()

    assert f'type="radio" name="territory" value="{lyon_1er.pk}"' in html
    assert 'name="territory" value=""' not in html
    assert paris_11e.name not in html
