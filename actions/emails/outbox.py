"""The embedded outbox: with no email provider set, each message sent is kept here as an .eml
file under MEDIA_ROOT/outbox/ (no table: it is a development and demo tool), for staff to
read at /emails/outbox/. Files older than OUTBOX_KEEP_DAYS are deleted as new ones come.

A file's name is its time of writing (UTC) and a random suffix, so names sort by age and
the list reads only the headers of the page it shows.
"""

import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

from django.conf import settings

from campaign.pagination import Page

NAME_FORMAT = "%Y%m%dT%H%M%S%f"
MESSAGE_ID = re.compile(r"\d{8}T\d{12}-[0-9a-f]{8}")
# Headers come first in a message: the list reads no further than this.
HEADERS_READ_BYTES = 64 * 1024
# A process looks for expired files at most this often (seconds): a blast's thousands of
# messages do not list the folder once each.
PRUNE_EVERY_SECONDS = 60.0
_last_prune: dict[Path, float] = {}


@dataclass(frozen=True)
class OutboxEntry:
    """One line of the outbox's list."""

    id: str
    date: datetime | None
    subject: str
    to: str
    sender: str


@dataclass(frozen=True)
class OutboxMessage:
    """One message as the outbox shows it: headers, text part, HTML part, attachments."""

    id: str
    date: datetime | None
    subject: str
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    attachments: list[str]


def outbox_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "outbox"


def outbox_keep(*, raw: bytes, now: datetime | None = None) -> str:
    """Keep one message (its bytes as sent) in the outbox; returns its id."""
    now = now or datetime.now(tz=UTC)
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    message_id = f"{now.astimezone(UTC):{NAME_FORMAT}}-{secrets.token_hex(4)}"
    # Written aside then renamed: the list never reads half a message.
    partial = folder / f".{message_id}.part"
    partial.write_bytes(raw)
    os.replace(partial, folder / f"{message_id}.eml")
    if time.monotonic() - _last_prune.get(folder, -PRUNE_EVERY_SECONDS) >= PRUNE_EVERY_SECONDS:
        outbox_prune(now=now)
    return message_id


def outbox_prune(*, now: datetime | None = None) -> int:
    """Delete the messages older than OUTBOX_KEEP_DAYS; returns how many went."""
    now = now or datetime.now(tz=UTC)
    folder = outbox_dir()
    _last_prune[folder] = time.monotonic()
    oldest_kept = f"{now.astimezone(UTC) - timedelta(days=settings.OUTBOX_KEEP_DAYS):{NAME_FORMAT}}"
    deleted = 0
    for message_id in _ids(folder):
        if message_id[: len(oldest_kept)] < oldest_kept:
            (folder / f"{message_id}.eml").unlink(missing_ok=True)
            deleted += 1
    return deleted


def outbox_page(*, number: int, per_page: int = 50) -> Page:
    """One page of the outbox, newest first."""
    ids = sorted(_ids(outbox_dir()), reverse=True)
    start = (max(1, number) - 1) * per_page
    items = []
    for message_id in ids[start : start + per_page]:
        entry = _entry(message_id)
        if entry is not None:
            items.append(entry)
    return Page(
        items=items,
        number=max(1, number),
        per_page=per_page,
        has_next=len(ids) > start + per_page,
        total=len(ids),
    )


def outbox_message(*, message_id: str) -> OutboxMessage | None:
    """One message of the outbox, parsed; None if there is no such message (or it expired)."""
    path = _path(message_id)
    if path is None:
        return None
    try:
        with path.open("rb") as file:
            message = BytesParser(policy=policy.default).parse(file)
    except FileNotFoundError:
        return None
    assert isinstance(message, EmailMessage)  # policy.default parses into EmailMessage
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return OutboxMessage(
        id=message_id,
        date=_date(message),
        subject=str(message.get("Subject", "")),
        headers=[(name, str(value)) for name, value in message.items()],
        text=text.get_content() if text is not None else None,
        html=html.get_content() if html is not None else None,
        attachments=[part.get_filename() or "" for part in message.iter_attachments()],
    )


def _ids(folder: Path) -> list[str]:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return [
        name[:-4] for name in names if name.endswith(".eml") and MESSAGE_ID.fullmatch(name[:-4])
    ]


def _path(message_id: str) -> Path | None:
    """The file of a message id, or None for anything that is not an id (no path games)."""
    if not MESSAGE_ID.fullmatch(message_id):
        return None
    return outbox_dir() / f"{message_id}.eml"


def _entry(message_id: str) -> OutboxEntry | None:
    path = _path(message_id)
    if path is None:
        return None
    try:
        with path.open("rb") as file:
            head = file.read(HEADERS_READ_BYTES)
    except FileNotFoundError:  # expired between the listing and now
        return None
    headers = BytesHeaderParser(policy=policy.default).parsebytes(head)
    return OutboxEntry(
        id=message_id,
        date=_date(headers),
        subject=str(headers.get("Subject", "")),
        to=str(headers.get("To", "")),
        sender=str(headers.get("From", "")),
    )


def _date(message) -> datetime | None:
    header = message.get("Date")
    date = getattr(header, "datetime", None)
    # Django dates its messages in UTC as "-0000", which RFC 5322 reads as "zone unknown"
    # and Python as a naive time: it is UTC.
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    return date
