"""Staff pages in a real browser: closing a door-to-door campaign asks first (a dialog; a
page of its own without JavaScript) and can be undone; the segment builder finds a
territory by typing; a petition with two years of signatures fits on a screen or two."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from actions.canvassing import services as canvassing
from actions.canvassing.models import CanvassCampaign
from actions.petitions.models import Signature
from campaign.models import Territory, User
from contacts import services as contact_services
from contacts.models import Source
from tests.factories import PetitionFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WAIT_MS = 15_000


@pytest.fixture
def alice(db):
    return User.objects.create_user(
        username="alice", password="correct horse battery", role=User.Role.ADMIN, is_staff=True
    )


@pytest.fixture
def campaign(alice):
    today = timezone.localdate()
    campaign = canvassing.canvass_campaign_save(
        actor=alice, name="Municipales", starts_on=today, ends_on=today + timedelta(days=30)
    )
    return canvassing.canvass_campaign_set_status(campaign=campaign, actor=alice, status="active")


def status_of(campaign) -> str:
    campaign.refresh_from_db()
    return campaign.status


def test_closing_a_campaign_asks_in_a_dialog_and_a_closed_one_is_reopened(
    live_server, browser, shot, log_in, alice, campaign
):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "alice")
    page.goto(f"{live_server.url}/canvass/{campaign.pk}/")

    # The button opens a dialog; going back closes it and changes nothing.
    page.get_by_role("button", name="Clôturer la campagne…").click()
    dialog = page.get_by_role("dialog", name="Clôturer cette campagne ?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Revenir")).to_be_focused()
    shot(page, "dialog")
    page.keyboard.press("Enter")  # on "Go back", which has the focus
    expect(dialog).to_be_hidden()
    assert status_of(campaign) == CanvassCampaign.Status.ACTIVE

    # Confirmed, it closes; the page then offers to reopen.
    page.get_by_role("button", name="Clôturer la campagne…").click()
    dialog.get_by_role("button", name="Clôturer la campagne", exact=True).click()
    expect(page.locator(".page-head .status")).to_have_text("Clôturée")
    shot(page, "closed")
    assert status_of(campaign) == CanvassCampaign.Status.CLOSED

    page.get_by_role("button", name="Rouvrir la campagne").click()
    expect(page.locator(".page-head .status")).to_have_text("En cours")
    shot(page, "reopened")
    assert status_of(campaign) == CanvassCampaign.Status.ACTIVE
    assert errors == []


def test_without_javascript_closing_asks_on_a_page_of_its_own(
    live_server, browser, shot, log_in, alice, campaign
):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    log_in(page, "alice")
    page.goto(f"{live_server.url}/canvass/{campaign.pk}/")

    page.get_by_role("button", name="Clôturer la campagne…").click()
    expect(page.get_by_role("heading", name="Clôturer cette campagne ?")).to_be_visible()
    shot(page, "confirmation-page")
    assert status_of(campaign) == CanvassCampaign.Status.ACTIVE

    page.get_by_role("button", name="Clôturer la campagne", exact=True).click()
    expect(page.locator(".page-head .status")).to_have_text("Clôturée")
    assert status_of(campaign) == CanvassCampaign.Status.CLOSED
    context.close()


def test_the_segment_builder_finds_a_territory_by_typing_and_ticks_it_by_keyboard(
    live_server, browser, shot, log_in, alice
):
    from playwright.sync_api import expect

    Territory.objects.create(kind="commune", code="80021", name="Amiens")
    Territory.objects.create(kind="postal_code", code="80000", name="Amiens")
    for n in range(1, 30):
        Territory.objects.create(kind="bureau", code=f"69381-{n:04d}", name=f"Lyon 1er, bureau {n}")
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "alice")
    page.goto(f"{live_server.url}/contacts/segments/new/")

    where = page.locator("#id_territories")
    search = page.locator("#id_territories_filter")
    search.fill("amiens insee")
    amiens = where.get_by_label("Amiens — commune, INSEE 80021")
    expect(amiens).to_be_visible()
    expect(where.get_by_label("Amiens — code postal 80000")).to_be_hidden()
    expect(where.get_by_label("Lyon 1er, bureau 3 — bureau de vote 69381-0003")).to_be_hidden()
    page.keyboard.press("Tab")
    expect(amiens).to_be_focused()
    page.keyboard.press("Space")
    expect(amiens).to_be_checked()
    # "1 of 31 shown, 1 ticked", in the scripts' catalogue's language.
    expect(page.locator("#id_territories_filter ~ [data-picker-status]")).to_have_text(
        re.compile(r"^1\D+31\D+1\D")
    )
    box = amiens.locator("xpath=..").bounding_box()
    assert box["width"] > 250  # the whole label, not "Amiens (Commune (code INSEE"
    shot(page, "territory-found")

    search.fill("")
    expect(where.get_by_label("Lyon 1er, bureau 3 — bureau de vote 69381-0003")).to_be_attached()
    page.fill("input[name=name]", "Amiens")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Segment enregistré.")).to_be_visible()
    assert errors == []


def test_a_petition_signed_for_two_years_fits_on_its_staff_page(
    live_server, browser, shot, log_in, alice
):
    from playwright.sync_api import expect

    petition = PetitionFactory(title="Des bus la nuit")
    now = timezone.now()
    for n in range(120):  # one signature every six days since two years
        contact = contact_services.contact_create(
            actor=None, source=Source.PETITION, first_name="Signataire", last_name=str(n)
        )
        at = now - timedelta(days=6 * n)
        Signature.objects.create(
            petition=petition, contact=contact, signed_at=at, confirmed_at=at, utm_source="tract"
        )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    log_in(page, "alice")

    page.goto(f"{live_server.url}/petitions/{petition.pk}/?range=all")
    expect(page.locator("svg.activity-chart")).to_be_visible()
    expect(page.get_by_role("heading", name="Provenance des signataires")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    shot(page, "petition-all")
    assert height < 1800, f"{height} px"
