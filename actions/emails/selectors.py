"""Reads for emails: who a blast may reach, whose consent still holds when a message goes,
and a blast's progress."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from campaign.models import User
from campaign.ownership import owned_visible_to
from contacts.models import Consent, Contact, ContactEmail
from contacts.segments.selectors import segment_contacts

from .models import Blast, Message


def email_reachable(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Those who may get a blast now: email consent granted, not erased nor objecting, and
    an address that does not bounce (the primary one first). Annotated with `address`."""
    granted = Consent.objects.filter(contact=OuterRef("pk"), channel="email", status="granted")
    address = (
        ContactEmail.objects.filter(contact=OuterRef("pk"), bounced_at__isnull=True)
        .order_by("-is_primary", "id")
        .values("address")[:1]
    )
    return (
        contacts.filter(erased_at__isnull=True, objected_at__isnull=True)
        .filter(Exists(granted))
        .annotate(address=Subquery(address))
        .filter(address__isnull=False)
    )


def blast_recipients(blast: Blast, *, user: User | None) -> QuerySet[Contact]:
    """The segment as `user` may see it now, cut to who may be emailed. `user` is whoever
    acts: the viewer for a preview, the starter for the fan-out; nobody (None): no one."""
    if user is None:
        return email_reachable(Contact.objects.none())
    return email_reachable(segment_contacts(user=user, segment=blast.segment))


def still_reachable(message_ids: list[int]) -> set[int]:
    """Of these messages, those whose person may still be emailed at that address, now."""
    messages = list(
        Message.objects.filter(pk__in=message_ids, contact_id__isnull=False).values_list(
            "pk", "contact_id", "to"
        )
    )
    contact_ids = {contact_id for _pk, contact_id, _to in messages}
    allowed = set(
        Contact.objects.filter(
            pk__in=contact_ids, erased_at__isnull=True, objected_at__isnull=True
        ).values_list("pk", flat=True)
    )
    allowed &= set(
        Consent.objects.filter(
            contact_id__in=contact_ids, channel="email", status="granted"
        ).values_list("contact_id", flat=True)
    )
    addresses = set(
        ContactEmail.objects.filter(contact_id__in=allowed, bounced_at__isnull=True).values_list(
            "contact_id", "address"
        )
    )
    return {pk for pk, contact_id, to in messages if (contact_id, to) in addresses}


def blast_progress(blast: Blast) -> dict:
    """Counts by status for the progress bar (queued, sent, delivered, bounced, complained,
    unsubscribed, failed), and how far it has gone."""
    counts = dict(
        Message.objects.filter(blast=blast)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    waiting = counts.get("queued", 0) + counts.get("sending", 0)
    delivered_or_after = ("delivered", "bounced", "complained")
    return {
        "total": total,
        "queued": waiting,
        "sent": counts.get("sent", 0) + sum(counts.get(s, 0) for s in delivered_or_after),
        "delivered": counts.get("delivered", 0),
        "bounced": counts.get("bounced", 0),
        "complained": counts.get("complained", 0),
        "unsubscribed": Message.objects.filter(blast=blast, unsubscribed_at__isnull=False).count(),
        "failed": counts.get("failed", 0),
        "suppressed": counts.get("suppressed", 0),
        "cancelled": counts.get("cancelled", 0),
        "percent": int(100 * (total - waiting) / total)
        if total
        else (100 if blast.status == "done" else 0),
        "status": blast.status,
    }


def blasts_for_staff(user: User) -> QuerySet[Blast]:
    """The blasts `user` may open: an admin all, an organizer their territories' (the whole
    campaign's are the admins')."""
    return owned_visible_to(
        Blast.objects.select_related("segment", "sender", "created_by", "territory"),
        user,
        national=False,
    )
