"""What people do, in a real browser: a visitor signs a petition, a donor gives on a
fundraising page with the fake card, staff log in and find the funnel."""

import pytest

from actions.donations.models import Drive, Entity
from actions.petitions.models import PendingSignature, Petition, Signature
from campaign.models import User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_visitor_signs_a_petition_and_lands_on_the_thank_you_page(
    live_server, browser, shot, eager_tasks
):
    """Signatures are merged in-process, as on the embedded default: the page answers once
    Nina is a signer (with a worker, she would wait in the queue a moment)."""
    Petition.objects.create(
        slug="eau",
        title="De l'eau potable pour tous",
        text="Signez pour l'eau.",
        status=Petition.Status.PUBLISHED,
        consent_email="J'accepte de recevoir des nouvelles par email.",
    )
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/p/eau/")
    shot(page, "petition")
    page.fill("input[name=first_name]", "Nina")
    page.fill("input[name=last_name]", "Roux")
    page.fill("input[name=email]", "nina@example.fr")
    page.fill("input[name=postal_code]", "69001")
    page.check("input[name=consent_email]")
    page.click("button[type=submit]")
    page.wait_for_url("**/merci/**")
    shot(page, "thanks")

    assert "Merci" in page.content()
    assert not PendingSignature.objects.exists()
    signature = Signature.objects.get()
    assert (signature.petition.slug, signature.contact.first_name) == ("eau", "Nina")


def test_a_donor_gives_with_the_fake_card(live_server, browser, shot, settings):
    settings.DONATION_CARD_PROVIDER = "fake_card"
    entity = Entity.objects.create(
        name="Campagne",
        kind=Entity.Kind.CANDIDATE,
        election="Municipales",
        spending_limit_cents=6_000_000,
    )
    Drive.objects.create(
        entity=entity,
        slug="don",
        title="Financez la campagne",
        story="Chaque euro compte.",
        goal_cents=100_000,
        status=Drive.Status.PUBLISHED,
    )
    page = browser.new_page()
    page.goto(f"{live_server.url}/don/don/")
    shot(page, "page")
    page.check("input[name=amount][value='3500']")
    for name, value in {
        "first_name": "Paul",
        "last_name": "Marchand",
        "email": "paul@example.fr",
        "street": "3 rue Terme",
        "postal_code": "69001",
        "commune": "Lyon",
    }.items():
        page.fill(f"input[name={name}]", value)
    page.check("input[name=natural_person]")
    page.check("input[name=french_or_resident]")
    page.check("input[name=method][value=card]")
    page.click("button[type=submit]")
    page.wait_for_url("**/fake-card/**")
    shot(page, "card")
    page.fill("input[name=number]", "4242 4242 4242 4242")
    page.click("button[type=submit]")
    page.wait_for_url("**/merci/**")
    shot(page, "thanks")

    from actions.donations.models import Donation

    gift = Donation.objects.get()
    assert (gift.amount_cents, gift.status) == (3_500, "paid")


def test_staff_log_in_and_find_the_funnel(live_server, browser, shot, log_in):
    from contacts import services
    from contacts.funnel.summaries import funnel_refresh

    User.objects.create_user(username="alice", password="correct horse battery", role="admin")
    services.contact_create(actor=None, source="manual", first_name="Léa")
    funnel_refresh()
    page = browser.new_page()
    log_in(page, "alice")
    shot(page, "home")

    assert page.locator("svg.funnel-chart").count() == 1
    assert "Du premier contact au militant actif" in page.content()
