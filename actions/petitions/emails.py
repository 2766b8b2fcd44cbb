"""The petitions' emails, sent by tasks (thin, take ids, safe to run twice): the double
opt-in's link, signed, and the link that confirms a consent the signer had withdrawn."""

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from contacts.confirm import ConsentAsked, consent_confirmation_send
from contacts.mail import Mailed, contact_mail_send
from contacts.models import ContactEmail, Source

from .models import Signature

CONFIRM_SALT = "petition-confirm"


def confirmation_token(signature: Signature) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(signature.pk))


@shared_task(
    name="petitions.send_confirmation", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def petition_send_confirmation(signature_id: int) -> str:
    """Email the double opt-in link; a confirmed or deleted signature gets nothing, nor does
    an erased signer (contacts.mail). Returns what happened, for the worker's log."""
    signature = (
        Signature.objects.select_related("petition")
        .filter(pk=signature_id, confirmed_at__isnull=True)
        .first()
    )
    if signature is None:
        return "confirmed or gone"
    link = settings.SITE_URL + reverse(
        "petitions:confirm", args=[signature.petition.slug, confirmation_token(signature)]
    )
    mailed: Mailed = contact_mail_send(
        contact_id=signature.contact_id,
        subject=_("Confirm your signature: {petition}"),
        preheader=_("One click and your signature counts."),
        body=_(
            "Hello {prenom},\n\n"
            "Thank you for signing “{petition}”. To count your signature, confirm it with "
            "this link:\n\n"
            "[{link}]({link})\n\n"
            "If you did not sign, ignore this message: nothing will be recorded."
        ),
        extra={"petition": signature.petition.title, "link": link},
        reason=_("You get this message because your email address was used to sign a petition."),
    )
    return "sent" if mailed.sent else str(mailed.unsent)


@shared_task(
    name="petitions.send_consent_confirmation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def petition_send_consent_confirmation(
    contact_id: int, address: str, wordings: dict[str, str], title: str
) -> None:
    """A signer ticked a box on a channel the person had withdrawn: ask them, at the
    address on file they signed with (else their first), to confirm by the emailed link."""
    emails = ContactEmail.objects.filter(contact_id=contact_id)
    email = emails.filter(address=address).first() or emails.order_by("-is_primary", "id").first()
    if email is None:
        return
    consent_confirmation_send(
        ConsentAsked(
            contact_id=contact_id,
            email_id=email.pk,
            wordings=wordings,
            source=Source.PETITION,
            source_detail=title,
        )
    )
