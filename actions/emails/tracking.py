"""What providers report about sent emails, through their tracking webhooks as anymail
normalizes them: a delivery, a hard bounce (the address is marked bouncing), a soft one
(counted, the provider tries again), a complaint (email consent withdrawn, with an event),
an unsubscribe. The webhook URLs take the provider's request only with
ANYMAIL_WEBHOOK_SECRET as HTTP basic authentication (anymail checks signatures too)."""

import base64
import hmac
import logging

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from anymail.webhooks.amazon_ses import AmazonSESTrackingWebhookView
from anymail.webhooks.brevo import BrevoTrackingWebhookView
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from anymail.webhooks.mailjet import MailjetTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from anymail.webhooks.sendgrid import SendGridTrackingWebhookView
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from contacts.models import Contact, ContactEmail

from .models import Message
from .services import email_consent_withdraw, email_unsubscribe

logger = logging.getLogger(__name__)

TRACKING_VIEWS = {
    "brevo": BrevoTrackingWebhookView,
    "mailjet": MailjetTrackingWebhookView,
    "amazon_ses": AmazonSESTrackingWebhookView,
    "mailgun": MailgunTrackingWebhookView,
    "postmark": PostmarkTrackingWebhookView,
    "sendgrid": SendGridTrackingWebhookView,
}
# Provider event names that anymail calls a bounce but that say "try later".
_SOFT = {"soft_bounce", "softbounce", "transient", "deferred"}


def _authorized(request: HttpRequest) -> bool:
    secret = settings.ANYMAIL_WEBHOOK_SECRET
    if not secret:
        return False  # no secret set: the webhooks are off
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _space, encoded = header.partition(" ")
    if kind.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded.strip()).decode()
    except ValueError:
        return False
    return hmac.compare_digest(given.encode(), secret.encode())


def provider_webhook(provider: str):
    """The tracking webhook of `provider`: a request without the secret gets a 403 before
    anymail reads it; anymail then checks the provider's own signature and sends `tracking`."""
    view = TRACKING_VIEWS[provider].as_view()

    @csrf_exempt
    def webhook(request: HttpRequest) -> HttpResponse:
        if not _authorized(request):
            logger.warning("Email tracking webhook %s without its secret", provider)
            return HttpResponseForbidden()
        return view(request)

    webhook.access_rule = "signed"  # type: ignore[attr-defined]
    webhook.__name__ = f"{provider}_tracking_webhook"
    return webhook


def _is_soft(event: AnymailTrackingEvent) -> bool:
    if event.event_type == EventType.DEFERRED:
        return True
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    names = {str(raw.get(key, "")).lower() for key in ("event", "Type", "severity")}
    return bool(names & _SOFT)


@receiver(tracking, dispatch_uid="emails.tracking")
def tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    tracking_apply(event=event)


@transaction.atomic
def tracking_apply(*, event: AnymailTrackingEvent) -> None:
    """Apply one provider report. A blast's message is found by the provider's id; a report
    about another email (a receipt, a confirmation) still marks a dead address bouncing and
    a complaint still withdraws the email consent of those who hold the address."""
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("blast", "contact")
        .filter(provider_id=event.message_id)
        .first()
        if event.message_id
        else None
    )
    address = (event.recipient or (message.to if message else "")).lower()
    kind = event.event_type
    if kind == EventType.DELIVERED and message is not None:
        Message.objects.filter(pk=message.pk, status=Message.Status.SENT).update(
            status=Message.Status.DELIVERED
        )
    elif kind in (EventType.BOUNCED, EventType.DEFERRED) and _is_soft(event):
        if message is not None:
            Message.objects.filter(pk=message.pk).update(soft_bounces=F("soft_bounces") + 1)
    elif kind in (EventType.BOUNCED, EventType.REJECTED) and event.reject_reason != "blocked":
        if message is not None:
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.BOUNCED, error=(event.mta_response or "")[:500]
            )
        if address:
            ContactEmail.objects.filter(address__iexact=address, bounced_at__isnull=True).update(
                bounced_at=timezone.now()
            )
    elif kind == EventType.COMPLAINED:
        if message is not None:
            Message.objects.filter(pk=message.pk).update(status=Message.Status.COMPLAINED)
        _withdraw_after_complaint(message, address)
    elif kind == EventType.UNSUBSCRIBED and message is not None:
        email_unsubscribe(message=message)


def _withdraw_after_complaint(message: Message | None, address: str) -> None:
    """Marking an email as spam says "no more": the email consent is withdrawn, with an
    event naming the blast (or the address, for another email)."""
    if message is not None and message.contact is not None:
        people = [message.contact]
    else:
        people = list(Contact.objects.filter(emails__address__iexact=address).distinct())
    if message is not None:
        wording = _("Marked as spam: the email “%(subject)s”") % {"subject": message.blast.subject}
        detail = message.blast.name
    else:
        wording, detail = _("Marked an email as spam"), address
    for contact in people:
        email_consent_withdraw(contact=contact, wording=wording, source_detail=detail)
