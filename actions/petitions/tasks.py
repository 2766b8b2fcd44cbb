"""Petition tasks: thin, take ids, safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse


@shared_task(
    name="petitions.send_confirmation", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def petition_send_confirmation(signature_id: int) -> None:
    """Email the double opt-in link; a confirmed or deleted signature gets nothing."""
    from .models import Signature
    from .services import confirmation_token

    signature = (
        Signature.objects.select_related("petition", "contact")
        .filter(pk=signature_id, confirmed_at__isnull=True)
        .first()
    )
    if signature is None:
        return
    email = signature.contact.emails.order_by("-is_primary", "id").first()
    if email is None:
        return
    link = settings.SITE_URL + reverse(
        "petitions:confirm", args=[signature.petition.slug, confirmation_token(signature)]
    )
    context = {"petition": signature.petition, "link": link, "contact": signature.contact}
    send_mail(
        subject=render_to_string("petitions/confirm_subject.txt", context).strip(),
        message=render_to_string("petitions/confirm_email.txt", context),
        from_email=None,
        recipient_list=[email.address],
    )


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
    from contacts.confirm import ConsentAsked, consent_confirmation_send
    from contacts.models import ContactEmail, Source

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


@shared_task(name="petitions.merge_signatures", acks_late=True)
def petition_signatures_merge() -> int:
    """Merge the received signatures: full batches while there is a backlog, then the rest.
    Queued a moment after the first signer of a quiet spell (so one merge takes many
    signatures), and every minute by beat in case a queued task was lost."""
    import time

    from campaign.counters import flag_lower

    from .models import PendingSignature
    from .services import (
        MERGE_BATCH,
        MERGE_QUEUED,
        MERGE_SEEN_SECONDS,
        merge_later,
        pending_signatures_merge,
    )

    merged = 0
    while (batch := pending_signatures_merge()) == MERGE_BATCH:
        merged += batch
    merged += batch
    # Signers who came during this merge saw it queued and queued nothing: look again, once
    # every process has stopped trusting what it saw (services.merge_later).
    flag_lower(MERGE_QUEUED)
    time.sleep(MERGE_SEEN_SECONDS)
    if PendingSignature.objects.exists():
        merge_later(fresh=True)
    return merged
