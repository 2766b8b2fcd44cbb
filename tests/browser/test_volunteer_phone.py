"""A volunteer's first turf in English on a 360×740 phone: the walk list says how many doors
are left and shows those not visited yet, a conversation asks the script's questions before
it is saved, a door recorded offline waits in English and goes once the signal is back; every
button is big enough for a thumb. And the peer-to-peer Send button stays under the thumb."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actions.canvassing import services
from actions.canvassing.models import Door, Visit
from actions.sms.p2p import services as p2p_services
from contacts.models import Segment, SegmentMember
from tests.actions.canvassing.test_canvassing import neighbour
from tests.actions.sms.conftest import person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SUPPORT = "Support for the project (1: against, 5: strongly for)"
THUMB = 44  # px: the smallest target a thumb hits reliably (WCAG 2.5.5, Apple, Material)


@pytest.fixture
def lucas(volunteer):
    volunteer.first_name, volunteer.last_name = "Lucas", "Petit"
    volunteer.save()
    return volunteer


@pytest.fixture
def turf(admin_user, lucas):
    """Seven doors of rue Terme (two flats at no. 9), in an English-speaking campaign under
    way, walked by Lucas; Emma's door was knocked on yesterday."""
    with translation.override("en"):  # its organizer writes in English: codes and script too
        campaign = services.canvass_campaign_save(
            actor=admin_user,
            name="Municipales",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    services.canvass_campaign_set_status(campaign=campaign, actor=admin_user, status="active")
    for first, last, street in [
        ("Anna", "Roux", "3 rue Terme"),
        ("Bruno", "Petit", "5 rue Terme"),
        ("Chloé", "Morel", "7 rue Terme"),
        ("Fanny", "Blanc", "9 rue Terme, Apt 1"),
        ("Gilles", "Noir", "9 rue Terme, Apt 2"),
        ("David", "Blanc", "2 rue Terme"),
        ("Emma", "Vert", "4 rue Terme"),
    ]:
        neighbour(first, last, street)
    (turf,) = services.turfs_cut(
        campaign=campaign, actor=admin_user, name="Terme", kind="commune", values=["69381"]
    )
    for n, door in enumerate(Door.objects.filter(turf=turf).order_by("position")):
        door.latitude, door.longitude = 45.7679 + n / 10_000, 4.8330
        door.save()
    services.turf_assign(turf=turf, volunteers=[lucas], actor=admin_user)
    emma = Door.objects.get(turf=turf, number=4)
    services.visits_record(
        actor=admin_user,
        turf=turf,
        visits=[
            services.VisitInput(
                id=uuid.uuid4(),
                door_id=emma.pk,
                contact_id=None,
                result="not_home",
                visited_at=timezone.now() - timedelta(days=1),
            )
        ],
    )
    return turf


def phone(browser, **options):
    context = browser.new_context(**PHONE, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # The map's tiles come from OpenStreetMap: no network in tests, as offline in the street.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    return context, page


def size(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["width"], box["height"]


def assert_thumb_sized(locator) -> None:
    width, height = size(locator)
    assert width >= THUMB and height >= THUMB, (width, height)


def log_in_in_english(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    switch = page.get_by_role("button", name="English")
    assert_thumb_sized(switch)
    switch.click()
    page.get_by_role("button", name="Log in", exact=True).wait_for()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct horse battery")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_volunteers_first_turf_in_english_on_a_phone(
    live_server, browser, shot, audit, turf, lucas, eager_tasks
):
    # eager_tasks: a talk at the door moves the funnel, whose refresh is a task.
    from playwright.sync_api import expect

    context, page = phone(browser, bypass_csp=True)  # for axe-core, an inline script
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in_in_english(page, live_server, "lucas")
    expect(page.locator(".topbar .who")).to_contain_text("Lucas Petit")
    shot(page, "missions")

    mission = page.get_by_role("link", name="Municipales · Terme").first
    assert size(mission)[1] >= THUMB
    mission.click()
    page.wait_for_url(f"**/missions/turfs/{turf.pk}/")
    progress = page.locator("[data-walk-progress]")
    expect(progress).to_have_text("6 doors left of 7")
    shot(page, "walk-list")

    # Thumb-sized: the way back, the language switch, the doors, "nobody home" at no. 9.
    assert_thumb_sized(page.get_by_role("link", name="My missions"))
    assert_thumb_sized(page.locator(".lang-switch button"))
    for link in page.locator("li[data-door] > a").all():
        assert size(link)[1] >= THUMB
    assert_thumb_sized(page.get_by_role("button", name=re.compile("Nobody home")))
    assert_thumb_sized(page.locator("[data-walk-filter]"))

    # The map of the turf's doors, folded until asked for (tiles or not).
    page.get_by_text("Map of the doors", exact=True).click()
    expect(page.locator("#canvass-map .leaflet-interactive")).to_have_count(7)
    shot(page, "map")
    audit(page)

    def door(name: str):
        return page.locator("li[data-door]").filter(has_text=name)

    page.get_by_label("Not visited yet").check()
    expect(door("Emma Vert")).to_be_hidden()
    expect(door("Anna Roux")).to_be_visible()
    shot(page, "not-visited-yet")

    # A conversation: the script's questions come before the visit is saved.
    door("Anna Roux").get_by_role("link").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("group", name="Who answered?")).to_be_visible()
    dialog.get_by_role("button", name="Talked", exact=True).click()
    expect(dialog.get_by_role("heading", name="The script's questions")).to_be_visible()
    dialog.get_by_role("group", name=SUPPORT).get_by_role("radio", name="4", exact=True).check()
    dialog.get_by_role("checkbox", name="Wants to volunteer").check()
    shot(page, "door-questions")
    audit(page)
    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(progress).to_have_text("5 doors left of 7")
    expect(door("Anna Roux")).to_be_hidden()  # visited now: the filter hides it
    anna_on_the_map = page.locator("#canvass-map path.leaflet-interactive").first
    expect(anna_on_the_map).to_have_attribute("stroke", "#1b7f3b")  # green: talked
    expect(page.locator("li[data-door].pending")).to_have_count(0)  # sent
    anna = Visit.objects.get(door__number=3)
    assert (anna.result, anna.support_level, anna.wants_to_volunteer) == ("talked", 4, True)

    # Offline: a door not home, and a talk whose questions are skipped, wait on the phone.
    context.set_offline(True)
    door("Bruno Petit").get_by_role("link").click()
    dialog.get_by_role("button", name="Not home", exact=True).click()
    door("Chloé Morel").get_by_role("link").click()
    dialog.get_by_role("button", name="Talked", exact=True).click()
    dialog.get_by_role("button", name="Skip the questions", exact=True).click()
    banner = page.locator("[data-sync-status]")
    expect(banner).to_have_text("2 results waiting to be sent (offline)")
    expect(progress).to_have_text("3 doors left of 7")
    shot(page, "two-waiting-offline")
    assert Visit.objects.count() == 2  # Emma's of yesterday and Anna's

    context.set_offline(False)
    expect(banner).to_be_hidden()
    shot(page, "synced")
    results = {
        str(v.door): (v.result, v.support_level)
        for v in Visit.objects.filter(volunteer=lucas).select_related("door")
    }
    assert results == {
        "3 rue Terme": ("talked", 4),
        "5 rue Terme": ("not_home", None),
        "7 rue Terme": ("talked", None),
    }

    page.reload()
    expect(progress).to_have_text("3 doors left of 7")

    # The session ends while a result waits: nothing is lost, and the login page says so.
    context.set_offline(True)
    door("David Blanc").get_by_role("link").click()
    dialog.get_by_role("button", name="Not home", exact=True).click()
    context.clear_cookies(name="sessionid")
    context.set_offline(False)
    expect(banner).to_contain_text("Log in again: nothing is lost.")
    shot(page, "logged-out-one-waiting")
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("[data-offline-note]")).to_have_text(
        "This phone still holds 1 door result recorded offline: log in again on it, with "
        "signal, to send it. Until then its walk lists stay on it."
    )
    shot(page, "login-one-waiting")
    page.fill("input[name=username]", "lucas")
    page.fill("input[name=password]", "correct horse battery")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_role("link", name="Municipales · Terme").first.click()
    expect(progress).to_have_text("2 doors left of 7")
    expect(banner).to_be_hidden()
    assert Visit.objects.filter(volunteer=lucas, door__number=2).exists()
    assert errors == []


def test_the_send_button_stays_under_the_thumb_after_the_first_text(
    live_server, browser, shot, admin_user, lucas, eager_tasks, settings
):
    from playwright.sync_api import expect

    settings.SMS_BACKEND = "actions.sms.backends.LogBackend"
    settings.SMS_QUIET_HOURS = ""  # whatever the hour the tests run at
    segment = Segment.objects.create(name="Everyone", is_static=True)
    SegmentMember.objects.bulk_create(
        SegmentMember(segment=segment, contact=person(first, phone_number))
        for first, phone_number in [("Léa", "06 12 34 56 78"), ("Hugo", "+33 7 81 23 45 67")]
    )
    campaign = p2p_services.p2p_campaign_save(
        actor=admin_user,
        name="Sunday",
        segment=segment,
        script="Hello {prenom}, it's Lucas from the team. See you on Sunday?",
        batch_size=2,
    )
    p2p_services.p2p_campaign_start(campaign=campaign, actor=admin_user)
    p2p_services.conversations_assign(campaign=campaign, volunteer=lucas, count=2, actor=admin_user)

    context, page = phone(browser)
    log_in_in_english(page, live_server, "lucas")
    page.goto(live_server.url + reverse("sms:mission_send", args=[campaign.pk]))
    send = page.get_by_role("button", name="Send", exact=True)
    shot(page, "first-to-send")
    # Measured once the page's fonts are in: a fallback font wraps the top bar differently.
    page.evaluate("document.fonts.ready.then(() => true)")
    before = send.bounding_box()
    send.click()
    expect(page.locator(".sent-note")).to_contain_text("Sent to Léa Martin")
    shot(page, "second-to-send")
    page.evaluate("document.fonts.ready.then(() => true)")
    after = page.get_by_role("button", name="Send", exact=True).bounding_box()
    assert after["y"] == before["y"] and after["height"] >= THUMB
