"""How emails plug into contacts: the timeline shows the blasts a person was sent, a merge
moves their messages to the kept contact, an erasure keeps them counted without the
address, and blasts belong to a territory like texts do."""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from campaign.ownership import TerritoryOwned
from contacts.demo import DemoSeed
from contacts.models import Contact
from contacts.plugins import ActionPlugin, ContactRows, TimelineEntry

from .models import Blast, Message, Sender


class EmailsPlugin(ActionPlugin):
    def timeline(self, contact: Contact, limit: int) -> Iterable[TimelineEntry]:
        return timeline_entries(contact, limit)

    def contact_rows(self) -> Sequence[ContactRows]:
        return [ContactRows(Message, merge=merge_messages, erase=erase_messages)]

    def owned_models(self) -> Sequence[type[TerritoryOwned]]:
        return [Blast]

    def seed_demo(self, demo: DemoSeed) -> None:
        """A verified sender, so that a blast can be written from the first minute (the
        embedded outbox keeps what it sends)."""
        Sender.objects.get_or_create(
            address="equipe@terrain.localhost",
            defaults={
                "name": "Équipe Terrain",
                "postal_address": "1 place de la Mairie, 69001 Lyon",
                "is_verified": True,
            },
        )


def timeline_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    sent = (
        Message.objects.filter(contact=contact, sent_at__isnull=False)
        .select_related("blast")
        .order_by("-sent_at")[:limit]
    )
    return [
        TimelineEntry(
            at=message.sent_at,
            kind="email",
            title=_("Email sent: %(name)s") % {"name": message.blast.subject},
            detail=message.get_status_display(),
        )
        for message in sent
        if message.sent_at is not None  # always (the query asks so): for the type checker
    ]


def erase_messages(contact_ids: list[int]) -> None:
    """On erasure: emails stay counted; the address goes."""
    Message.objects.filter(contact_id__in=contact_ids).update(to="")


def merge_messages(kept_id: int, dropped_id: int) -> None:
    """The dropped contact's emails follow the person, but for a blast both records were
    sent: the kept one's message stands for the person, the other stays counted alone."""
    both = Message.objects.filter(contact_id=kept_id).values("blast_id")
    dropped = Message.objects.filter(contact_id=dropped_id)
    dropped.filter(blast_id__in=both).update(contact=None)
    dropped.update(contact_id=kept_id)
