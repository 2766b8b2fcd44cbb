"""A staffer's first hour, in a real browser, in French: she looks people up by their
compound names, reads the gifts in euros as France writes them, narrows them to cheques
and makes the campaign's fundraising page herself. The rest of her hour has tests of its
own beside this one: import, segment and blast (test_staff_blast.py), the petition's page
and closing then reopening a door-to-door campaign (test_staff_pages.py); every page she
sees passes the accessibility audit (test_accessibility.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.donations import services as donations
from actions.donations.models import Drive
from campaign.models import User
from contacts import services as contact_services
from contacts.models import Source
from tests.factories import EntityFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WAIT_MS = 15_000
PEOPLE = [
    ("Frédérique", "Le Goff"),
    ("Amadou", "N'Diaye"),
    ("Inès", "d'Almeida"),
    ("Jean-Noël", "De Sousa"),
    ("Léa", "Leroy"),
    ("Paul", "Goffin"),
]


@pytest.fixture
def alice(db):
    return User.objects.create_user(
        username="alice", password="correct horse battery", role=User.Role.ADMIN, is_staff=True
    )


@pytest.fixture
def people(db):
    return {
        last: contact_services.contact_create(
            actor=None, source=Source.PETITION, first_name=first, last_name=last
        )
        for first, last in PEOPLE
    }


@pytest.fixture
def gifts(people):
    entity = EntityFactory()
    today = timezone.localdate()
    for person, cents, method in [
        ("Le Goff", 1_000, "card"),
        ("N'Diaye", 460_000, "transfer"),
        ("Leroy", 5_000, "cheque"),
    ]:
        donations.donation_record(
            entity=entity,
            contact=people[person],
            amount_cents=cents,
            method=method,
            received_on=today - timedelta(days=3),
            natural_person=True,
            french_or_resident=True,
            online=False,
        )
    return entity


def results_of(page) -> list[str]:
    return sorted(page.locator("table.list tbody tr td:first-child").all_inner_texts())


def test_a_staffer_finds_compound_names_reads_the_gifts_and_makes_a_fundraising_page(
    live_server, browser, shot, log_in, alice, people, gifts
):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "alice")

    # 1. From the home page's box, a surname of two words, typed lower case.
    page.fill("#home-q", "le goff")
    page.keyboard.press("Enter")
    page.wait_for_url("**/contacts/?q=le+goff*")
    expect(page.get_by_role("link", name="Frédérique Le Goff")).to_be_visible()
    expect(page.get_by_role("link", name="Paul Goffin")).to_have_count(0)
    expect(page.get_by_role("link", name="Léa Leroy")).to_have_count(0)
    shot(page, "search-le-goff")

    # 2. Names with an apostrophe or a particle, typed as people type them.
    for typed, found in [
        ("ndiaye", "Amadou N'Diaye"),
        ("almeida ines", "Inès d'Almeida"),
        ("de sousa jean-noel", "Jean-Noël De Sousa"),
        ("goff frédérique", "Frédérique Le Goff"),
    ]:
        page.goto(f"{live_server.url}/contacts/")
        page.locator("form[role=search] input[name=q]").fill(typed)
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name=found)).to_be_visible()
    shot(page, "search-particle")

    # 3. The gifts, every amount written the French way; then only the cheques.
    page.goto(f"{live_server.url}/donations/")
    expect(page.locator("dl.figures")).to_contain_text("4 660,00\u00a0€".replace(" ", "\u202f"))
    expect(page.locator("main")).to_contain_text("10,00\u00a0€")
    expect(page.locator("main")).not_to_contain_text("10.00")
    shot(page, "donations")
    page.get_by_label("Payé par").select_option(label="Chèque")
    page.get_by_role("button", name="Filtrer").click()
    gifts_figure = page.locator("dl.figures div", has_text="Dons").first.locator("dd")
    expect(gifts_figure).to_have_text("1")
    expect(page.locator("main")).to_contain_text("50,00\u00a0€")
    shot(page, "donations-cheques")

    # 4. She makes the fundraising page in Terrain, not in the administration.
    page.get_by_role("link", name="Pages de collecte").click()
    page.get_by_role("link", name="Nouvelle page de collecte").first.click()
    page.get_by_label("Titre").fill("Financez nos affiches")
    page.get_by_label("Récit").fill("Chaque affiche collée, c'est **un voisin** de plus qui sait.")
    page.get_by_label("Objectif (€)").fill("2000")
    page.get_by_label("Les dons vont à").select_option(index=1)
    shot(page, "new-page")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("link", name="Financez nos affiches")).to_be_visible()
    shot(page, "pages")
    drive = Drive.objects.get(title="Financez nos affiches")
    assert (drive.goal_cents, drive.entity) == (200_000, gifts)
    assert errors == []
