"""Closing a door-to-door campaign stops every volunteer's walk at once: staff are asked
first (a dialog, or a page of its own without JavaScript), and may reopen it later."""

import pytest
from django.urls import reverse

from actions.canvassing import selectors, services
from actions.canvassing.models import CanvassCampaign, Turf
from campaign.exceptions import ApplicationError
from tests.actions.canvassing.test_ownership import a_campaign, neighbour

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(admin_user, lyon_1er):
    return a_campaign(admin_user, lyon_1er, "Lyon")


@pytest.fixture
def walked(campaign, admin_user, volunteer):
    """The campaign with one turf of two doors handed to the volunteer."""
    for i, first in enumerate(["Anna", "Bruno"], start=1):
        neighbour(first, f"{i} rue Terme", insee="69381", postal="69001")
    (turf,) = services.turfs_cut(
        campaign=campaign, actor=admin_user, name="Terme", kind="postal_code", values=["69001"]
    )
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    return turf


def status_of(campaign) -> str:
    campaign.refresh_from_db()
    return campaign.status


def close_url(campaign) -> str:
    return reverse("canvassing:action", args=[campaign.pk, "close"])


def test_the_close_button_asks_first_in_a_dialog_that_posts_the_confirmation(
    client_as, organizer_lyon, campaign
):
    page = client_as(organizer_lyon).get(reverse("canvassing:detail", args=[campaign.pk]))

    html = page.content.decode()
    assert 'data-confirm="confirm-close"' in html
    assert '<dialog id="confirm-close"' in html
    assert 'name="confirm" value="yes"' in html
    assert "js/confirm.js" in html


def test_closing_without_confirming_shows_what_it_does_and_closes_nothing(
    client_as, organizer_lyon, campaign
):
    answer = client_as(organizer_lyon).post(close_url(campaign))

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Clôturer cette campagne ?" in html
    assert 'name="confirm" value="yes"' in html
    assert status_of(campaign) == CanvassCampaign.Status.ACTIVE


def test_a_confirmed_close_closes_and_the_page_offers_to_reopen(
    client_as, organizer_lyon, campaign, walked, volunteer
):
    client = client_as(organizer_lyon)

    answer = client.post(close_url(campaign), {"confirm": "yes"}, follow=True)

    assert status_of(campaign) == CanvassCampaign.Status.CLOSED
    assert not selectors.may_walk(volunteer, Turf.objects.get(pk=walked.pk))
    html = answer.content.decode()
    assert reverse("canvassing:action", args=[campaign.pk, "reopen"]) in html
    assert close_url(campaign) not in html


def test_reopening_lets_the_volunteers_walk_their_turfs_again(
    client_as, organizer_lyon, campaign, walked, volunteer
):
    services.canvass_campaign_set_status(campaign=campaign, actor=organizer_lyon, status="closed")

    client_as(organizer_lyon).post(reverse("canvassing:action", args=[campaign.pk, "reopen"]))

    assert status_of(campaign) == CanvassCampaign.Status.ACTIVE
    assert selectors.may_walk(volunteer, Turf.objects.get(pk=walked.pk))


def test_an_organizer_cannot_reopen_another_territorys_campaign(
    client_as, organizer_paris, organizer_lyon, campaign
):
    services.canvass_campaign_set_status(campaign=campaign, actor=organizer_lyon, status="closed")

    answer = client_as(organizer_paris).post(
        reverse("canvassing:action", args=[campaign.pk, "reopen"])
    )

    assert answer.status_code == 404
    assert status_of(campaign) == CanvassCampaign.Status.CLOSED


def test_only_a_closed_campaign_is_reopened(organizer_lyon, campaign):
    with pytest.raises(ApplicationError):
        services.canvass_campaign_reopen(campaign=campaign, actor=organizer_lyon)

    assert status_of(campaign) == CanvassCampaign.Status.ACTIVE
