"""The donor's emails, sent by tasks (thin, take ids, each email claimed on the gift before
it is sent, so a task run twice sends it once): the thank-you with the record of the gift
attached (the page promises "un reçu vous est envoyé"), each later month's notice of a
monthly gift, and the notice that a monthly gift stopped. Only gifts made on a fundraising
page are emailed: an imported or hand-entered gift was thanked where it was taken. Nothing
goes to an erased donor (contacts.mail)."""

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from campaign.mail.rendering import Attachment
from campaign.money import money_format
from contacts.mail import Mailed, contact_mail_send

from .models import Donation, Receipt
from .receipts import receipt_pdf

STOP_SALT = "donations.monthly-stop"


def stop_link(donation) -> str:
    """A link the donor keeps to stop their monthly gift themselves (signed, no login)."""
    token = signing.dumps(donation.pk, salt=STOP_SALT)
    return reverse("donations:stop", kwargs={"token": token})


def donor_thanks_queue(donation: Donation) -> None:
    """After the transaction: the thank-you of a gift made on a page, with its receipt."""
    if donation.drive_id is not None and donation.thanked_at is None:
        pk = donation.pk
        transaction.on_commit(lambda: donation_send_thanks.delay(pk))


def monthly_stop_notice_queue(mandate: Donation, *, why: str = "") -> None:
    """After the transaction: tell the donor their monthly gift (made on a page) stopped,
    and `why` when it was not at their request."""
    if mandate.drive_id is not None and mandate.stop_noticed_at is None:
        pk = mandate.pk
        transaction.on_commit(lambda: donation_send_stop_notice.delay(pk, why))


def _claim(field: str, donation_id: int) -> bool:
    """Take the right to send one email of a gift; False: sent already (or being sent)."""
    return bool(
        Donation.objects.filter(pk=donation_id, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
    )


def _release(field: str, donation_id: int) -> None:
    """The provider failed before taking the message: the next try may send it."""
    Donation.objects.filter(pk=donation_id).update(**{field: None})


def _donor(donation: Donation) -> dict[str, str] | None:
    """The merge values of the name the donor typed with the gift, if they typed one."""
    if not (donation.donor_first_name or donation.donor_last_name):
        return None
    return {
        "first_name": donation.donor_first_name,
        "last_name": donation.donor_last_name,
        "commune": donation.donor_commune,
    }


def _values(donation: Donation) -> dict[str, str]:
    return {
        "amount": money_format(donation.amount_cents),
        "kept": money_format(donation.kept_cents),
        "entity": donation.entity.name,
        "date": formats.date_format(donation.received_on, "DATE_FORMAT"),
        "stop": settings.SITE_URL + stop_link(donation.series or donation),
    }


def _thanks_body(donation: Donation, receipt: Receipt | None) -> tuple[str, str, str]:
    """Subject, preheader and body of a gift's thank-you, or of a month's notice."""
    if donation.series_id is not None:
        subject = _("Your monthly gift to {entity}: {amount} taken")
        preheader = _("Thank you for your support, month after month.")
        paragraphs = [
            _("Hello {prenom},"),
            _(
                "This month's gift of {amount} to {entity} was taken on {date}. Thank you for your support, month after month."
            ),
        ]
    else:
        subject = _("Thank you for your gift to {entity}")
        preheader = _("Your gift of {amount} has been received.")
        paragraphs = [
            _("Hello {prenom},"),
            _("Thank you for your gift of {amount} to {entity}, received on {date}."),
        ]
    if donation.refund_cents:
        paragraphs.append(
            _(
                "The law does not let the campaign keep all of it: the financial agent will refund what is over the legal cap, and keeps {kept}."
            )
        )
    if receipt is not None:
        paragraphs.append(
            _(
                "Attached is the record of your gift (no. {receipt}), with everything your tax receipt needs: the financial agent issues the official receipt from it."
            )
        )
    if donation.monthly:
        paragraphs.append(
            _("Your gift is taken every month. Keep this link: it stops it whenever you want.")
        )
        paragraphs.append("[{stop}]({stop})")
    return subject, preheader, "\n\n".join(paragraphs)


@shared_task(
    name="donations.send_thanks", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def donation_send_thanks(donation_id: int) -> str:
    """Email the donor's thank-you (a monthly gift's month: its notice), with the gift's
    valid receipt attached as PDF when one is issued. Once per gift."""
    if not _claim("thanked_at", donation_id):
        return "already sent"
    donation = Donation.objects.select_related("entity", "series").get(pk=donation_id)
    receipt = donation.receipts.filter(voided_at__isnull=True).select_related("entity").first()
    subject, preheader, body = _thanks_body(donation, receipt)
    attachments = []
    if receipt is not None:
        attachments.append(
            Attachment(f"recu-{receipt.reference}.pdf", receipt_pdf(receipt), "application/pdf")
        )
    try:
        mailed: Mailed = contact_mail_send(
            contact_id=donation.contact_id,
            subject=subject,
            preheader=preheader,
            body=body,
            person=_donor(donation),
            extra={**_values(donation), "receipt": receipt.reference if receipt else ""},
            attachments=attachments,
            reason=_("You get this message because you gave to {entity}."),
        )
    except Exception:
        _release("thanked_at", donation_id)
        raise
    return "sent" if mailed.sent else str(mailed.unsent)


@shared_task(
    name="donations.send_stop_notice", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def donation_send_stop_notice(mandate_id: int, why: str = "") -> str:
    """Tell the donor their monthly gift stopped: at their request, or because the law
    allows no more (`why`, the reason). Once per monthly gift."""
    if not _claim("stop_noticed_at", mandate_id):
        return "already sent"
    mandate = Donation.objects.select_related("entity", "series").get(pk=mandate_id)
    values = _values(mandate)
    paragraphs = [
        _("Hello {prenom},"),
        _(
            "Your monthly gift of {amount} to {entity} has stopped: no month will be taken any more."
        ),
    ]
    if why:
        paragraphs.append(_("Why: {why}"))
    paragraphs.append(_("Thank you for your support."))
    try:
        mailed = contact_mail_send(
            contact_id=mandate.contact_id,
            subject=_("Your monthly gift to {entity} has stopped"),
            preheader=_("No month will be taken any more."),
            body="\n\n".join(paragraphs),
            person=_donor(mandate),
            extra={**values, "why": why},
            reason=_("You get this message because you gave to {entity}."),
        )
    except Exception:
        _release("stop_noticed_at", mandate_id)
        raise
    return "sent" if mailed.sent else str(mailed.unsent)
