"""A volunteer on a phone walks their turf where the signal drops: the results of the doors
wait on the phone, then go out by themselves once the network is back, each recorded once."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from actions.canvassing import services
from actions.canvassing.models import Visit
from tests.actions.canvassing.test_canvassing import neighbour

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
SUPPORT = "Soutien au projet (1 : opposé, 5 : très favorable)"


@pytest.fixture
def turf(admin_user, volunteer):
    """Five doors of rue Terme, in a campaign under way, walked by the volunteer."""
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
        ("David", "Blanc", "2 rue Terme"),
        ("Emma", "Vert", "4 rue Terme"),
    ]:
        neighbour(first, last, street)
    (turf,) = services.turfs_cut(
        campaign=campaign, actor=admin_user, name="Terme", kind="commune", values=["69381"]
    )
    services.turf_assign(turf=turf, volunteers=[volunteer], actor=admin_user)
    return turf


def test_a_volunteer_records_five_doors_offline_and_sees_them_sync(
    live_server, browser, shot, log_in, turf, volunteer, eager_tasks
):
    # eager_tasks: a talk at the door moves the funnel, whose refresh is a task; with
    # REDIS_URL set it would wait on Redis for a worker, so it runs in the server instead.
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, "lucas")
    shot(page, "missions")

    page.get_by_role("link", name="Municipales · Terme").click()
    page.wait_for_url(f"**/missions/turfs/{turf.pk}/")
    shot(page, "walk-list")
    # With signal, the offline worker keeps the page and its files (the catalogue too).
    # Polled from here: wait_for_function takes the promise an async function returns for a
    # truthy answer, and would go on before anything is kept.
    kept = """async () => {
      const kept = (url) => caches.match(url, { ignoreVary: true }).then(Boolean);
      const catalogue = document.querySelector("script[src*='/jsi18n/']").src;
      return (await kept(location.href)) && (await kept(catalogue));
    }"""
    for _ in range(100):
        if page.evaluate(kept):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(kept), "the offline worker kept the walk list within 10 s"

    context.set_offline(True)
    banner = page.locator("[data-sync-status]")

    def door(name: str):
        return page.locator("li[data-door]").filter(has_text=name)

    def record(name: str, result: str, *, support: str = "", volunteers: bool = False):
        door(name).get_by_role("link").click()
        dialog = page.get_by_role("dialog")
        talked = result == "Discussion"  # a talk asks the script's questions, then saves
        if not talked:
            shot(page, f"door-{name.split()[0].lower()}-offline")
        dialog.get_by_role("button", name=result, exact=True).click()
        if support:
            dialog.get_by_role("group", name=SUPPORT).get_by_role(
                "radio", name=support, exact=True
            ).check()
        if volunteers:
            dialog.get_by_role("checkbox", name="Souhaite devenir bénévole").check()
        if talked:
            shot(page, f"door-{name.split()[0].lower()}-offline")
            dialog.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(dialog).to_have_count(0)
        expect(door(name)).to_have_class(re.compile(r"\bpending\b"))
        expect(door(name).locator("[data-last-result]")).to_have_text(result)

    record("Anna Roux", "Discussion", support="4", volunteers=True)
    record("Bruno Petit", "Absent")
    record("Chloé Morel", "Refus")
    record("David Blanc", "Discussion", support="2")
    record("Emma Vert", "Repasser plus tard")

    expect(banner).to_be_visible()
    expect(banner).to_have_text("5 résultats en attente d'envoi (hors ligne)")
    shot(page, "five-waiting-offline")
    assert not Visit.objects.exists()

    # Reopened without signal: the page, its scripts and their French words come from the
    # phone (the offline worker kept the JavaScript catalogue with the static files).
    page.reload()
    expect(banner).to_have_text("5 résultats en attente d'envoi (hors ligne)")
    expect(page.locator("[data-walk-progress]")).to_have_text("0 porte restante sur 5")
    shot(page, "reopened-offline")

    context.set_offline(False)

    expect(banner).to_be_hidden()
    expect(page.locator("li[data-door].pending")).to_have_count(0)
    shot(page, "synced")

    results = {
        str(v.door): (v.result, v.support_level, v.contact and v.contact.first_name)
        for v in Visit.objects.select_related("door", "contact")
    }
    assert results == {
        "3 rue Terme": ("talked", 4, "Anna"),
        "5 rue Terme": ("not_home", None, None),
        "7 rue Terme": ("refused", None, "Chloé"),
        "2 rue Terme": ("talked", 2, "David"),
        "4 rue Terme": ("come_back", None, "Emma"),
    }
    assert Visit.objects.filter(volunteer=volunteer, turf=turf).count() == 5
    assert Visit.objects.get(result="talked", support_level=4).wants_to_volunteer

    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("5 portes frappées sur 5")).to_be_visible()
    shot(page, "missions-after")
    assert errors == []
