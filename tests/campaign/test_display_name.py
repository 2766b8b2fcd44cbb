"""One name for a user on every page: "First Last" when the account has a name, else the
username; never "lucas" on one list and "Lucas" on another."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.canvassing import selectors, services
from campaign.accounts.names import display_name
from tests.actions.canvassing.test_canvassing import neighbour
from tests.actions.canvassing.test_walk_list import knock

pytestmark = pytest.mark.django_db


def test_a_user_is_named_first_and_last_else_by_username(volunteer):
    assert display_name(volunteer) == "lucas"
    volunteer.first_name = "Lucas"
    assert display_name(volunteer) == "Lucas"
    volunteer.last_name = "Petit"
    assert display_name(volunteer) == "Lucas Petit" == str(volunteer)
    assert display_name(None) == ""


def test_the_top_bar_and_the_staff_greeting_use_the_name(client_as, volunteer, admin_user):
    volunteer.first_name, volunteer.last_name = "Lucas", "Petit"
    volunteer.save()
    page = client_as(volunteer).get(reverse("home")).content.decode()
    assert "Lucas Petit ·" in page  # the top bar
    assert ">lucas ·" not in page
    admin_user.first_name, admin_user.last_name = "Inès", "Garcia"
    admin_user.save()
    page = client_as(admin_user).get(reverse("home")).content.decode()
    assert "Inès Garcia</h1>" in page  # the greeting, as the top bar names her


def test_the_door_to_door_figures_name_volunteers_the_same_way(admin_user, volunteer):
    volunteer.first_name, volunteer.last_name = "Lucas", "Petit"
    volunteer.save()
    campaign = services.canvass_campaign_save(
        actor=admin_user,
        name="Municipales",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    services.canvass_campaign_set_status(campaign=campaign, actor=admin_user, status="active")
    neighbour("Anna", "Roux", "3 rue Terme")
    (turf,) = services.turfs_cut(
        campaign=campaign, actor=admin_user, name="Terme", kind="commune", values=["69381"]
    )
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    knock(turf, volunteer, 3)
    (row,) = selectors.campaign_progress(admin_user, campaign)["per_volunteer"]
    assert row["name"] == "Lucas Petit" and row["visits"] == 1
