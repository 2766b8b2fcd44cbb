"""A transactional message (a receipt, a confirmation link, a password reset): one person's
own business, sent because they did something, so it needs no marketing consent. It goes
through the same template and backend as every email, with nothing a blast carries (no
unsubscribe link: there is no list to leave). Who may not be written to at all (an erased
person, an address on the suppression list) is for the caller: contacts.mail checks it."""

from collections.abc import Mapping, Sequence

from django.core.mail import EmailMultiAlternatives

from .rendering import Attachment, Footer, email_message

# RFC 3834: a message a program sent on its own; autoresponders must not answer it.
TRANSACTIONAL_HEADERS = {"Auto-Submitted": "auto-generated"}


def transactional_send(
    *,
    to: str,
    subject: str,
    body: str,
    preheader: str = "",
    person: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
    reason: str = "",
    attachments: Sequence[Attachment] = (),
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """Render and send one transactional message to `to`; the message sent is returned.
    `reason`, in the footer, says why the person gets it. Errors of the backend (OSError,
    SMTPException) reach the caller, whose task retries them."""
    message = email_message(
        to=[to],
        subject=subject,
        body=body,
        preheader=preheader,
        person=person,
        extra=extra,
        footer=Footer(reason=reason),
        from_email=from_email,
        headers=TRANSACTIONAL_HEADERS,
        attachments=attachments,
    )
    message.send()
    return message
