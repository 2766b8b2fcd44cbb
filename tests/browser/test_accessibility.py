"""No page has a serious or critical accessibility violation, as axe-core finds them in
Chromium: every staff page, every volunteer page and every public one, on a desktop
(1280×800) and on a phone (360×740).

The campaign is the demo's (what `make run` shows, a few dozen contacts), with what the demo
does not make but a page shows (a draft blast, an import to check, a duplicate pair, a token,
a webhook with a failed delivery, a signature awaiting confirmation): the world the escaping
tests crawl. Each page is first asked for with Django's test client, so that only the pages
answering HTML are opened in the browser (a CSV export is a download, not a page)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.donations.models import Donation
from actions.donations.views import stop_link
from campaign.models import User
from contacts.confirm import ConsentAsked, consent_confirmation_token
from contacts.models import ContactEmail
from tests.campaign.test_escaping import _extra_objects, busy_contacts, known_arguments, page_urls

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
PASSWORD = "correct horse battery"  # the log_in fixture's


@pytest.fixture
def demo(settings, tmp_path):
    """The demo campaign and its extras; admin and benevole log in with the tests' password."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TWO_FACTOR_REQUIRED = False
    call_command("seed_demo", contacts=60, verbosity=0)  # the volunteer gets a turf
    _extra_objects()
    for user in User.objects.filter(username__in=["admin", "benevole"]):
        user.set_password(PASSWORD)
        user.save()


def html_pages(client, urls: list[str]) -> list[str]:
    """Those of the URLs that answer a page of HTML."""
    pages = []
    for url in dict.fromkeys(urls):
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages.append(url)
    return pages


def privacy_pages() -> list[str]:
    """The links people get by email: confirm a consent, confirm a signature, stop a gift."""
    email = ContactEmail.objects.order_by("pk").first()
    asked = ConsentAsked(
        contact_id=email.contact_id,
        email_id=email.pk,
        wordings={"email": "J'accepte de recevoir des nouvelles par email."},
        source="petition",
        source_detail="Pétition",
    )
    petitions = known_arguments()["petitions"]
    pages = [
        reverse("contacts:consent_confirm", args=[consent_confirmation_token(asked)]),
        reverse("petitions:confirm", args=[petitions["slug"], petitions["token"]]),
    ]
    monthly = Donation.objects.filter(monthly=True).first()
    return pages + ([stop_link(monthly)] if monthly else [])


def audit_pages(browser, live_server, audit, shot, size: str, urls: list[str], login=None):
    """Each page opened at this size and audited; every page's violations, then one failure."""
    context = browser.new_context(viewport=SIZES[size], bypass_csp=True)  # for axe's tag
    context.set_default_timeout(15_000)
    page = context.new_page()
    if login:
        login(page)
    problems = []
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        try:
            audit(page)
        except AssertionError as error:
            problems.append(str(error))
            shot(page, url.strip("/").replace("/", "-") or "home")
    context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_audit_names_what_it_finds(browser, audit):
    """A picture without a text alternative is a critical violation: the audit fails on it."""
    page = browser.new_page()
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')

    with pytest.raises(AssertionError, match=r"image-alt \(critical\).*img"):
        audit(page)


@pytest.mark.parametrize("size", SIZES)
def test_no_public_page_has_a_serious_accessibility_violation(
    demo, client, browser, live_server, audit, shot, size
):
    known = known_arguments()
    urls = html_pages(
        client,
        [
            *page_urls({"public"}),
            *privacy_pages(),
            reverse("login"),
            reverse("password_reset"),
            reverse("password_reset_done"),
        ],
    )
    assert {
        reverse("petitions:page", args=[known["petitions"]["slug"]]),
        reverse("donations:page", args=[known["donations"]["slug"]]),
        reverse("login"),
        reverse("password_reset"),
    } <= set(urls)

    audit_pages(browser, live_server, audit, shot, size, [*urls, "/no-such-page/"])


@pytest.mark.parametrize("size", SIZES)
def test_no_volunteer_page_has_a_serious_accessibility_violation(
    demo, client, browser, live_server, audit, shot, log_in, size
):
    known = known_arguments()
    client.force_login(User.objects.get(username="benevole"))
    urls = html_pages(client, page_urls({"login"}))
    assert {
        reverse("home"),
        reverse("sms:mission", args=[known["sms"]["campaign_id"]]),
        reverse("canvassing:walk", args=[known["canvassing"]["turf_id"]]),
    } <= set(urls)

    audit_pages(
        browser, live_server, audit, shot, size, urls, login=lambda page: log_in(page, "benevole")
    )


@pytest.mark.parametrize("size", SIZES)
def test_no_staff_page_has_a_serious_accessibility_violation(
    demo, client, browser, live_server, audit, shot, log_in, size
):
    client.force_login(User.objects.get(username="admin"))
    api_pages = [reverse("api:tokens"), reverse("api:webhooks")]  # page_urls leaves api: out
    urls = html_pages(client, page_urls({"crm", "admin", "login"}) + busy_contacts() + api_pages)
    assert {
        reverse("home"),
        reverse("contacts:list"),
        reverse("contacts:import_new"),
        reverse("contacts:segments"),
        reverse("sms:list"),
        reverse("sms:new"),
        reverse("sms:p2p_list"),
        reverse("petitions:staff_list"),
        reverse("canvassing:list"),
        reverse("donations:list"),
        reverse("api:tokens"),
        reverse("api:webhooks"),
        reverse("password_change"),
    } <= set(urls)

    audit_pages(
        browser, live_server, audit, shot, size, urls, login=lambda page: log_in(page, "admin")
    )
