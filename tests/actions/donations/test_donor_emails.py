"""The donor is emailed what the page promises: a thank-you with the record of the gift
attached as PDF, once however often the task runs; each later month of a monthly gift a
notice with its own receipt, and a notice when it stops. Hand-entered gifts and erased
donors get nothing."""

from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from actions.donations import services
from actions.donations.emails import donation_send_stop_notice, donation_send_thanks
from actions.donations.models import Donation, Receipt
from contacts.privacy.services import contact_erase
from tests.factories import DriveFactory, person
from tests.mail_parts import parsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def drive(settings, eager_tasks):
    settings.DONATION_CARD_PROVIDER = "fake_card"
    return DriveFactory()


@pytest.fixture
def lea(db):
    return person(email="lea.garnier@example.fr", first_name="Léa", last_name="Garnier")


def card_gift(drive, capture, *, cents=5_000, monthly=False, first_name="Léa") -> Donation:
    """Léa gives on the page by card, and the provider says it is paid."""
    with capture(execute=True):
        donation, _ = services.donation_start(
            drive=drive,
            donor=services.DonorInput(
                first_name=first_name,
                last_name="Garnier",
                email="lea.garnier@example.fr",
                street="1 rue de la Paix",
                postal_code="69001",
                commune="Lyon",
            ),
            amount_cents=cents,
            method="card",
            monthly=monthly,
            natural_person=True,
            french_or_resident=True,
        )
    assert mail.outbox == []  # pledged: nothing received yet
    with capture(execute=True):
        return services.donation_settled(
            checkout=donation.checkout, provider_name="fake_card", txn_id="ch_1", paid=True
        )


def test_a_gift_paid_on_the_page_is_thanked_with_its_receipt_attached(
    drive, lea, django_capture_on_commit_callbacks
):
    donation = card_gift(drive, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    sent = parsed(message)
    receipt = Receipt.objects.get(donation=donation)
    assert sent.headers["To"] == "lea.garnier@example.fr"
    assert sent.headers["Subject"] == "Merci pour votre don à Garnier 2026"
    assert sent.text.startswith("Bonjour Léa,")
    assert "50,00" in sent.text and receipt.reference in sent.text
    assert "Bonjour Léa," in sent.html and receipt.reference in sent.html
    content_type, pdf = sent.attachments[f"recu-{receipt.reference}.pdf"]
    assert content_type == "application/pdf" and pdf.startswith(b"%PDF")
    donation.refresh_from_db()
    assert donation.thanked_at is not None


def test_the_thank_you_reaches_a_real_smtp_server_with_both_parts_and_the_pdf(
    drive, lea, smtp_server, django_capture_on_commit_callbacks
):
    donation = card_gift(drive, django_capture_on_commit_callbacks)

    [received] = smtp_server.wait_for(1)
    sent = parsed(received.raw)
    reference = Receipt.objects.get(donation=donation).reference
    assert received.envelope_to == ["lea.garnier@example.fr"]
    assert sent.text.startswith("Bonjour Léa,")
    assert '<td class="brand"' in sent.html
    assert sent.attachments[f"recu-{reference}.pdf"][1].startswith(b"%PDF")


def test_the_thank_you_greets_the_name_typed_with_the_gift(
    drive, lea, django_capture_on_commit_callbacks
):
    card_gift(drive, django_capture_on_commit_callbacks, first_name="<b>Lé@</b>")

    sent = parsed(mail.outbox[0])
    assert sent.text.startswith("Bonjour <b>Lé@</b>,")
    assert "Bonjour &lt;b&gt;Lé@&lt;/b&gt;," in sent.html


def test_the_thank_you_is_sent_once_when_the_task_runs_twice(
    drive, lea, django_capture_on_commit_callbacks
):
    donation = card_gift(drive, django_capture_on_commit_callbacks)

    assert donation_send_thanks(donation.pk) == "already sent"
    assert donation_send_thanks(donation.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_a_failed_send_may_be_tried_again(drive, lea, django_capture_on_commit_callbacks, settings):
    donation = card_gift(drive, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    Donation.objects.filter(pk=donation.pk).update(thanked_at=None)  # not sent yet, say
    settings.EMAIL_BACKEND = "tests.actions.donations.test_donor_emails.RefusingBackend"

    with pytest.raises(ConnectionRefusedError):
        donation_send_thanks(donation.pk)
    donation.refresh_from_db()
    assert donation.thanked_at is None  # released: the retry sends it

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert donation_send_thanks(donation.pk) == "sent"
    assert len(mail.outbox) == 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the SMTP server is down")


def test_an_erased_donor_gets_no_thank_you(
    drive, lea, admin_user, django_capture_on_commit_callbacks
):
    donation = card_gift(drive, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    Donation.objects.filter(pk=donation.pk).update(thanked_at=None)  # not sent yet, say
    contact_erase(contact=donation.contact, actor=admin_user)

    assert donation_send_thanks(donation.pk) == "erased"
    assert mail.outbox == []


def test_a_gift_entered_by_staff_is_not_emailed(drive, lea, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.donation_record(
            entity=drive.entity,
            contact=lea,
            amount_cents=5_000,
            method="cheque",
            received_on=timezone.localdate(),
            natural_person=True,
            french_or_resident=True,
            online=False,
        )

    assert Receipt.objects.count() == 1
    assert mail.outbox == []


def test_a_cheque_pledged_on_the_page_is_thanked_when_staff_mark_it_paid(
    drive, lea, admin_user, django_capture_on_commit_callbacks
):
    donation, _ = services.donation_start(
        drive=drive,
        donor=services.DonorInput("Léa", "Garnier", "lea.garnier@example.fr", "", "69001", ""),
        amount_cents=5_000,
        method="cheque",
        monthly=False,
        natural_person=True,
        french_or_resident=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.donation_paid(donation=donation, actor=admin_user)

    [message] = mail.outbox
    assert list(parsed(message).attachments) == [f"recu-{Receipt.objects.get().reference}.pdf"]


def test_each_month_of_a_monthly_gift_is_noticed_with_its_receipt_and_the_stop_link(
    drive, lea, django_capture_on_commit_callbacks
):
    first = card_gift(drive, django_capture_on_commit_callbacks, monthly=True)
    assert "/don/stop/" in parsed(mail.outbox[0]).text
    next_month = date(first.received_on.year + 1, 1, 28)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.monthly_collect(today=next_month)["taken"] == 1
        services.monthly_collect(today=next_month)  # run twice: one month, one notice

    assert len(mail.outbox) == 2
    month = Donation.objects.get(series=first)
    sent = parsed(mail.outbox[1])
    assert sent.headers["Subject"] == "Votre don mensuel à Garnier 2026 : 50,00 € prélevés"
    assert month.receipts.get().reference in sent.text
    assert list(sent.attachments) == [f"recu-{month.receipts.get().reference}.pdf"]
    assert "/don/stop/" in sent.text


def test_a_monthly_gift_stopped_is_noticed_once(drive, lea, django_capture_on_commit_callbacks):
    first = card_gift(drive, django_capture_on_commit_callbacks, monthly=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.monthly_stop(donation=first, actor=None)
        services.monthly_stop(donation=first, actor=None)
    assert donation_send_stop_notice(first.pk) == "already sent"

    [message] = mail.outbox
    sent = parsed(message)
    assert sent.headers["Subject"] == "Votre don mensuel à Garnier 2026 est arrêté"
    assert sent.text.startswith("Bonjour Léa,")


def test_a_monthly_gift_the_law_stops_is_noticed_with_the_reason(
    drive, lea, django_capture_on_commit_callbacks
):
    first = card_gift(drive, django_capture_on_commit_callbacks, monthly=True, cents=300_000)
    mail.outbox.clear()
    next_month = date(first.received_on.year + 1, 1, 28)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.monthly_collect(today=next_month)["stopped"] == 1

    [message] = mail.outbox
    first.refresh_from_db()
    assert first.note in parsed(message).text
