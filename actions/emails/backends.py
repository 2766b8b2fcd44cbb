"""Email backends of Terrain's own. The others are Django's (SMTP) and django-anymail's (the
providers' APIs); campaign/settings.py picks one from EMAIL_PROVIDER."""

import logging

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

from .outbox import outbox_keep

logger = logging.getLogger(__name__)


class OutboxBackend(ConsoleBackend):
    """The embedded default: nothing leaves the machine. Each message is printed on the
    console (as Django's console backend does) and kept in the outbox that staff read at
    /emails/outbox/ (actions/emails/outbox.py)."""

    def write_message(self, message) -> None:
        raw = message.message().as_bytes()
        self.stream.write(raw.decode("utf-8", errors="replace"))
        self.stream.write("\n" + "-" * 79 + "\n")
        message_id = outbox_keep(raw=raw)
        logger.info("Email kept in the outbox as %s: %s", message_id, message.subject)
