"""One email, rendered: a subject, a preheader and a body in Markdown with merge fields
become the branded HTML part (templates/mail/message.html) and its text/plain part
(templates/mail/message.txt), then a Django EmailMultiAlternatives carrying both.

The body is the staff's (or a translated string of ours); the merge values are the
recipient's, and untrusted: they are filled in after the Markdown is read, escaped in the
HTML, so a contact named "<script>" or "*Bob*" reads exactly so. The HTML is then cleaned
by nh3 (no script, no style, links only to http, https and mailto)."""

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import markdown as md
import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError

from .fields import merge_fields_fill, merge_fields_unknown
from .text import html_to_text

BODY_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote", "hr"}


class MergeFieldError(ApplicationError):
    """A text names merge fields nobody can fill: said when it is written, not sent."""

    def __init__(self, unknown: list[str]):
        self.unknown = unknown
        super().__init__(
            _("Unknown merge field: %(fields)s. Use {prenom}, {nom} or {commune}.")
            % {"fields": ", ".join(f"{{{name}}}" for name in unknown)},
            field="body",
        )


@dataclass(frozen=True)
class Footer:
    """What the footer says under every message: why the person gets it, the sender's
    postal address (MAIL_POSTAL_ADDRESS unless given), a note (click tracking on, for
    instance), and the unsubscribe link blasts carry."""

    reason: str = ""
    unsubscribe_url: str = ""
    address: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


def merge_fields_check(*texts: str, extra: Collection[str] = ()) -> None:
    """Raise MergeFieldError if any text names a merge field that is neither a contact's
    ({prenom}, {nom}, {commune} and their English names) nor one of `extra`."""
    unknown = sorted({name for text in texts for name in merge_fields_unknown(text, extra=extra)})
    if unknown:
        raise MergeFieldError(unknown)


def _body_html(body: str, values: dict[str, str]) -> str:
    markup = md.markdown(body, extensions=["sane_lists"])
    filled = merge_fields_fill(markup, values, escape=lambda v: html.escape(v, quote=True))
    return nh3.clean(
        filled,
        tags=BODY_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def email_render(
    *,
    subject: str,
    body: str,
    preheader: str = "",
    person: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
    footer: Footer | None = None,
) -> Rendered:
    """The subject, HTML part and text part of one message for one person.

    `body` is Markdown; `subject`, `preheader` and `body` may name merge fields: the
    contact's, filled from `person` (first_name, last_name, commune), and the names of
    `extra` (a link, a petition's title), filled from it. An unknown merge field raises
    MergeFieldError; a known one without a value is left empty."""
    extra = dict(extra or {})
    merge_fields_check(subject, preheader, body, extra=extra)
    values = {**{k: str(v or "") for k, v in (person or {}).items()}, **extra}
    footer = footer or Footer()
    address = settings.MAIL_POSTAL_ADDRESS if footer.address is None else footer.address
    footer = Footer(
        reason=merge_fields_fill(footer.reason, values),
        unsubscribe_url=footer.unsubscribe_url,
        address=address,
        note=footer.note,
    )
    body_html = _body_html(body, values)
    subject = _one_line(merge_fields_fill(subject, values))
    context = {
        "subject": subject,
        "preheader": _one_line(merge_fields_fill(preheader, values)),
        "body_html": body_html,
        "body_text": html_to_text(body_html),
        "footer": footer,
        "brand": settings.MAIL_BRAND_NAME,
        "colour": settings.MAIL_BRAND_COLOUR,
        "site_url": settings.SITE_URL,
    }
    return Rendered(
        subject=subject,
        html=render_to_string("mail/message.html", context),
        text=render_to_string("mail/message.txt", context).strip() + "\n",
    )


def email_message(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    preheader: str = "",
    person: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
    footer: Footer | None = None,
    from_email: str | None = None,
    reply_to: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    connection=None,
) -> EmailMultiAlternatives:
    """A message ready to send: the text/plain part as its body, the branded HTML as an
    alternative, `headers` added as given (List-Unsubscribe, Feedback-ID…), `attachments`
    attached. Rendering as email_render does; nothing is sent here. `from_email` None is
    DEFAULT_FROM_EMAIL; `connection` lets a caller reuse one SMTP connection."""
    rendered = email_render(
        subject=subject,
        body=body,
        preheader=preheader,
        person=person,
        extra=extra,
        footer=footer,
    )
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=from_email,
        to=list(to),
        reply_to=list(reply_to),
        headers=dict(headers or {}),
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message
