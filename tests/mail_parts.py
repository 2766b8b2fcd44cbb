"""A sent message read back as a mail client reads it: its bytes parsed, the text/plain
and text/html parts decoded, the attachments with their bytes."""

import email
from dataclasses import dataclass
from email import policy


@dataclass(frozen=True)
class Parsed:
    headers: dict[str, str]
    text: str
    html: str
    attachments: dict[str, tuple[str, bytes]]  # filename → (content type, bytes)


def parsed(message) -> Parsed:
    """`message`: a Django EmailMessage (as sent to the backend) or the raw bytes received."""
    raw = message if isinstance(message, bytes) else message.message().as_bytes()
    read = email.message_from_bytes(raw, policy=policy.default)
    text = read.get_body(preferencelist=("plain",))
    html = read.get_body(preferencelist=("html",))
    return Parsed(
        # As a mail client shows them: Django folds a long encoded subject onto a second
        # line, which Python's parser reads back with a leading space.
        headers={key: str(value).strip() for key, value in read.items()},
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
        attachments={
            part.get_filename(): (part.get_content_type(), part.get_content())
            for part in read.iter_attachments()
        },
    )
