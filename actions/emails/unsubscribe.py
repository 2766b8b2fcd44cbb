"""Leaving a blast's list in one click: the signed token of a message, the links and the
headers that carry it (RFC 2369 List-Unsubscribe, RFC 8058 one-click POST), and the
message's other identifying headers (Message-ID on the site's domain, Feedback-ID)."""

from email.utils import make_msgid
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Message

_SALT = "emails.unsubscribe"


def unsubscribe_token(message: Message) -> str:
    """A token naming the message, that only this site could have made (no expiry: a link
    in an old email must still work)."""
    return signing.Signer(salt=_SALT).sign(str(message.pk))


def message_for_token(token: str) -> Message | None:
    try:
        pk = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Message.objects.select_related("blast", "contact").filter(pk=pk).first()


def unsubscribe_url(message: Message) -> str:
    path = reverse("emails:unsubscribe", args=[unsubscribe_token(message)])
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def new_message_id(blast_id: int) -> str:
    """A Message-ID on the site's domain, made once when the message row is written."""
    return make_msgid(idstring=f"blast{blast_id}", domain=site_domain())


def blast_headers(message: Message) -> dict[str, str]:
    """The headers of a blast's message: how to leave (an HTTPS link that takes a one-click
    POST, and a mailto), its Message-ID and the blast's Feedback-ID."""
    token = unsubscribe_token(message)
    sender = message.blast.sender
    mailbox = settings.EMAIL_UNSUBSCRIBE_MAILTO or sender.reply_to or sender.address
    mailto = f"mailto:{mailbox}?subject={quote('unsubscribe ' + token)}"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(message)}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Message-ID": message.message_id,
        "Feedback-ID": message.blast.feedback_id,
    }
