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
