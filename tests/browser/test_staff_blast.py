"""Staff text a sign-up sheet, in a real browser: import the file (its "Accord SMS" column
records who agreed to texts), build a segment of the sheet, send a blast and follow it to
the end. The texts go to FakeTwilio, a local server speaking Twilio's REST API, which
counts what reached whom."""

import pytest

from actions.sms.models import Blast
from campaign.models import User
from contacts import services as contact_services
from contacts.models import Source

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# The sheet from Saturday's market stall: who, their mobile, and whether they ticked "SMS".
SHEET = [
    ("Léa", "Garnier", "06 12 34 56 78", "69001", "oui"),
    ("Hugo", "Lefèvre", "07 81 23 45 67", "69002", "oui"),
    ("Nina", "Roux", "06 99 88 77 66", "69003", "non"),
    ("Paul", "Marchand", "06 45 67 89 01", "69004", "oui"),
    ("Inès", "Bernard", "07 56 78 90 12", "69005", "oui"),
    ("Karim", "Haddad", "06 23 45 67 89", "69006", "non"),
]
AGREED = [(first, last, phone) for first, last, phone, _cp, sms in SHEET if sms == "oui"]
TAG = "Marché Croix-Rousse"
WAIT_MS = 15_000


def e164(phone: str) -> str:
    return "+33" + phone.replace(" ", "")[1:]


@pytest.fixture
def twilio(fake_twilio, settings, tmp_path):
    """The Twilio backend pointed at a FakeTwilio, no quiet hours, uploads kept in tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_QUIET_HOURS = ""
    return fake_twilio


def test_staff_import_a_file_build_a_segment_and_watch_a_blast_reach_everyone(
    live_server, browser, shot, log_in, twilio, eager_tasks, tmp_path
):
    from playwright.sync_api import expect

    User.objects.create_user(
        username="alice", password="correct horse battery", role=User.Role.ADMIN, is_staff=True
    )
    # Someone already known, who agreed to texts but was not at the market.
    sophie = contact_services.contact_create(
        actor=None,
        source=Source.PETITION,
        first_name="Sophie",
        last_name="Blanc",
        phones=[contact_services.PhoneInput(number="06 11 22 33 44", is_primary=True)],
    )
    contact_services.consent_set(
        contact=sophie, channel="sms", status="granted", source=Source.PETITION, actor=None
    )
    sheet = tmp_path / "marche-croix-rousse.csv"
    lines = ["Prénom;Nom;Portable;Code postal;Accord SMS"]
    lines += [";".join(row) for row in SHEET]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # 1. Alice logs in.
    log_in(page, "alice")
    shot(page, "logged-in")

    # 2. She uploads the sheet with a tag for everyone on it, checks the columns, starts.
    page.goto(f"{live_server.url}/contacts/imports/new/")
    page.set_input_files("input[name=file]", str(sheet))
    page.fill("input[name=source_detail]", "Stand du marché, samedi")
    page.fill("input[name=tags]", TAG)
    shot(page, "upload")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/contacts/imports/*/")
    expect(page.get_by_role("heading", name="marche-croix-rousse.csv")).to_be_visible()
    expect(page.get_by_label("Prénom", exact=True)).to_have_value("first_name")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("last_name")
    expect(page.get_by_label("Portable", exact=True)).to_have_value("phone")
    expect(page.get_by_label("Code postal", exact=True)).to_have_value("postal_code")
    expect(page.get_by_label("Accord SMS", exact=True)).to_have_value("consent_sms")
    shot(page, "columns")
    page.get_by_role("button", name="Lancer l’import").click()
    new_contacts = page.locator(".card", has_text="nouveaux contacts").locator(".figure")
    expect(new_contacts).to_have_text(str(len(SHEET)))
    expect(page.locator("#import-progress")).to_have_count(0)  # the bar has finished
    shot(page, "import-report")

    # 3. She builds a segment of the sheet's tag; the live count goes from everyone to the six.
    page.goto(f"{live_server.url}/contacts/segments/new/")
    count = page.locator("#segment-form [data-count]")
    expect(count).to_have_text(str(len(SHEET) + 1))
    page.fill("input[name=name]", "Marché de la Croix-Rousse")
    page.locator("select[name=tags_any]").select_option(label=TAG)
    expect(count).to_have_text(str(len(SHEET)))
    shot(page, "segment-builder")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Segment enregistré.")).to_be_visible()
    shot(page, "segment")

    # 4. She writes the text, checks who will get it, and sends it.
    page.goto(f"{live_server.url}/sms/new/")
    page.fill("input[name=name]", "Rappel samedi")
    page.locator("select[name=segment]").select_option(label="Marché de la Croix-Rousse")
    page.fill("textarea[name=body]", "Bonjour {prenom}, on se retrouve samedi à 10h au marché !")
    shot(page, "compose")
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    recipients = page.locator("dl.figures div", has_text="Destinataires").locator("dd")
    expect(recipients).to_have_text(str(len(AGREED)))
    shot(page, "check")
    page.get_by_role("button", name="Envoyer (maintenant, ou à l’heure choisie)").click()
    progress = page.locator("#sms-progress")
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    expect(progress.locator("[data-k=sent]")).to_have_text(str(len(AGREED)))
    expect(page.locator(".page-head .status")).to_have_text("Envoyé")
    shot(page, "sent")

    # 5. One text reached each person on the sheet who agreed, and nobody else.
    texts = twilio.messages
    assert sorted(t["to"] for t in texts) == sorted(e164(phone) for *_n, phone in AGREED)
    assert twilio.stats()["duplicate_to"] == 0
    assert {t["body"].split(",")[0] for t in texts} == {f"Bonjour {f}" for f, *_ in AGREED}
    blast = Blast.objects.get()
    assert (blast.status, blast.recipients) == (Blast.Status.DONE, len(AGREED))
    assert errors == []
