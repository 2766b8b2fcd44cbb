"""A withdrawn consent given again, confirmed by the person through an emailed link.

Public forms (a petition, an API signup without a token) are unverified: whoever typed an
email proved nothing. They add a consent where the person had none, but never undo a
withdrawal (contacts.services.consents_grant_unverified holds such grants back). The
person is emailed, at the address on file, a signed link valid CONFIRM_MAX_AGE_DAYS; the
page it opens records the consents only when its button is pressed (a POST: mail scanners
open links, and a GET changes nothing). No model: the link carries what to record.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.permissions import public

from .mail import Mailed, Unsent, contact_mail_send
from .models import Channel, ConsentStatus, Contact, ContactEmail, Source
from .services import consent_set

CONFIRM_SALT = "contacts.consent-confirm"
CONFIRM_MAX_AGE_DAYS = 7


@dataclass(frozen=True)
class ConsentAsked:
    """What a link, once confirmed, records: channels with the wording the person saw."""

    contact_id: int
    email_id: int  # the ContactEmail written to: its id, not the address (links end up in logs)
    wordings: dict[str, str]  # channel → wording
    source: str
    source_detail: str


def consent_confirmation_token(asked: ConsentAsked) -> str:
    return signing.dumps(
        {
            "c": asked.contact_id,
            "e": asked.email_id,
            "w": asked.wordings,
            "s": asked.source,
            "d": asked.source_detail,
        },
        salt=CONFIRM_SALT,
        compress=True,
    )


def consent_confirmation_read(token: str) -> ConsentAsked:
    """The link's content, if it is ours and younger than CONFIRM_MAX_AGE_DAYS."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE_DAYS * 86400)
        return ConsentAsked(
            contact_id=int(data["c"]),
            email_id=int(data["e"]),
            wordings={str(k): str(v) for k, v in dict(data["w"]).items()},
            source=str(data["s"]),
            source_detail=str(data["d"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ApplicationError(_("This confirmation link is not valid or has expired.")) from None


def consent_confirmation_send(asked: ConsentAsked) -> Mailed:
    """Email the link to the address on file (never to an address the form brought); an
    erased person, or a suppressed address, gets nothing (contacts.mail)."""
    email = ContactEmail.objects.filter(pk=asked.email_id, contact_id=asked.contact_id).first()
    if email is None:  # removed meanwhile
        return Mailed(unsent=Unsent.NO_ADDRESS)
    link = settings.SITE_URL + reverse(
        "contacts:consent_confirm", args=[consent_confirmation_token(asked)]
    )
    channels = ", ".join(str(Channel(channel).label) for channel in asked.wordings)
    return contact_mail_send(
        contact_id=asked.contact_id,
        address=email.address,
        subject=_("Confirm that you want to hear from us again"),
        preheader=_("Nothing changes unless you confirm."),
        body=_(
            "Hello,\n\n"
            "You had asked to receive nothing more from us by: {channels}. Someone has just "
            "ticked these boxes again with your email address{detail}.\n\n"
            "If it was you and you agree again, confirm with this link (valid {days} days):"
            "\n\n[{link}]({link})\n\n"
            "If it was not you, ignore this message: nothing changes, you stay unsubscribed."
        ),
        extra={
            "channels": channels,
            "detail": f" ({asked.source_detail})" if asked.source_detail else "",
            "days": str(CONFIRM_MAX_AGE_DAYS),
            "link": link,
        },
        reason=_("You get this message because your email address was given on a form."),
    )


@transaction.atomic
def consent_confirm(*, token: str) -> ConsentAsked:
    """The person pressed the button of the emailed link: each consent it names is
    recorded, with an event saying it was confirmed by email."""
    asked = consent_confirmation_read(token)
    contact = (
        Contact.objects.filter(pk=asked.contact_id, erased_at__isnull=True)
        .filter(pk__in=ContactEmail.objects.filter(pk=asked.email_id).values("contact_id"))
        .first()
    )
    if contact is None or asked.source not in Source.values:
        raise ApplicationError(_("This confirmation link is not valid or has expired."))
    now = timezone.now()
    detail = " · ".join(filter(None, [_("confirmed by email"), asked.source_detail]))[:255]
    current = dict(contact.consents.values_list("channel", "status"))
    for channel, wording in asked.wordings.items():
        if channel not in Channel.values or current.get(channel) == ConsentStatus.GRANTED:
            continue  # pressed twice, or given meanwhile: nothing to repeat
        consent_set(
            contact=contact,
            channel=channel,
            status=ConsentStatus.GRANTED,
            source=asked.source,
            actor=None,
            wording=wording,
            source_detail=detail,
            occurred_at=now,
        )
    return asked


@public
def consent_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page saying what would be recorded and a button; only the
    button's POST records anything."""
    context: dict = {"confirmed": False, "error": ""}
    try:
        asked = consent_confirmation_read(token)
        if request.method == "POST":
            consent_confirm(token=token)
            context["confirmed"] = True
    except ApplicationError as error:
        context["error"] = error.message
    else:
        context["wordings"] = [
            (str(Channel(channel).label), wording)
            for channel, wording in asked.wordings.items()
            if channel in Channel.values
        ]
        context["detail"] = asked.source_detail
    return render(
        request, "contacts/confirm_consent.html", context, status=400 if context["error"] else 200
    )
