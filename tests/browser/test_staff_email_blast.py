"""Staff send an email blast in a real browser: compose it, check it as a recipient will see
it on a computer and on a phone, send themselves a test, send it and follow the progress
bar to the end. The emails go to a real SMTP server, which says what reached whom."""

import pytest

from actions.emails.models import Blast
from campaign.models import User
from contacts import services as contact_services
from contacts.models import Segment, Source
from tests.factories import SenderFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
WAIT_MS = 15_000
PEOPLE = [
    ("Léa", "lea@example.fr", True),
    ("Hugo", "hugo@example.fr", True),
    ("Nina", "nina@example.fr", False),
]


def test_staff_compose_check_test_and_send_an_email_blast(
    live_server, browser, shot, log_in, smtp_server, eager_tasks
):
    from playwright.sync_api import expect

    User.objects.create_user(
        username="alice",
        password="correct horse battery",
        role=User.Role.ADMIN,
        is_staff=True,
        email="alice@example.org",
    )
    for first, email, agreed in PEOPLE:
        contact = contact_services.contact_create(
            actor=None,
            source=Source.PETITION,
            first_name=first,
            emails=[contact_services.EmailInput(address=email, is_primary=True)],
        )
        if agreed:
            contact_services.consent_set(
                contact=contact,
                channel="email",
                status="granted",
                source=Source.PETITION,
                actor=None,
            )
    Segment.objects.create(name="Tout le monde")
    SenderFactory()
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "alice")

    # 1. Alice writes the email.
    page.goto(f"{live_server.url}/emails/new/")
    page.fill("input[name=name]", "Lettre de décembre")
    page.locator("select[name=segment]").select_option(label="Tout le monde")
    page.fill("input[name=subject]", "{prenom}, on se retrouve samedi")
    page.fill("textarea[name=body]", "Bonjour {prenom},\n\nRendez-vous **samedi** au marché.")
    shot(page, "email-compose")
    page.get_by_role("button", name="Enregistrer et vérifier").click()

    # 2. She checks it: who gets it, and how it looks on a computer and on a phone.
    recipients = page.locator("dl.figures div", has_text="Destinataires").locator("dd")
    expect(recipients).to_have_text("2")
    phone = page.frame_locator("iframe.email-preview.phone")
    expect(phone.get_by_text("Rendez-vous")).to_be_visible()
    expect(page.locator("iframe.email-preview.desktop")).to_be_visible()
    shot(page, "email-check")

    # 3. A test to herself, then the real thing.
    page.get_by_role("button", name="M’envoyer un test").click()
    expect(page.get_by_text("Test envoyé à alice@example.org.")).to_be_visible()
    page.get_by_role("button", name="Envoyer (maintenant, ou à l’heure choisie)").click()
    progress = page.locator("#sms-progress")
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    expect(progress.locator("[data-k=sent]")).to_have_text("2")
    expect(page.locator(".page-head .status")).to_have_text("Envoyé")
    shot(page, "email-sent")

    # 4. One email reached each person who agreed, plus Alice's test; nobody else.
    received = sorted(r.envelope_to[0] for r in smtp_server.messages)
    assert received == ["alice@example.org", "hugo@example.fr", "lea@example.fr"]
    lea = next(r.message for r in smtp_server.messages if r.envelope_to == ["lea@example.fr"])
    assert lea["Subject"] == "Léa, on se retrouve samedi"
    assert lea["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Blast.objects.get().status == Blast.Status.DONE
    assert errors == []
