"""Reads for texts: who a blast may reach, its progress, the replies."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from campaign.models import User
from campaign.ownership import owned_visible_to
from contacts.models import Consent, Contact, ContactPhone
from contacts.scope import contacts_visible_to
from contacts.segments.selectors import segment_contacts

from .models import Blast, Inbound, Message, OptOut


def _mobile_of(contact_ref) -> QuerySet[ContactPhone]:
    return (
        ContactPhone.objects.filter(
            contact=contact_ref, kind=ContactPhone.Kind.MOBILE, sms_blocked=""
        )
        .exclude(e164="")
        .exclude(e164__in=OptOut.objects.values("number"))
    )


def sms_reachable(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Those who may get a bulk text now: SMS consent granted, not erased nor objecting, and
    a readable mobile number the provider has not refused. Annotated with `mobile`."""
    granted = Consent.objects.filter(contact=OuterRef("pk"), channel="sms", status="granted")
    mobile = _mobile_of(OuterRef("pk")).order_by("-is_primary", "id").values("e164")[:1]
    return (
        contacts.filter(erased_at__isnull=True, objected_at__isnull=True)
        .filter(Exists(granted))
        .annotate(mobile=Subquery(mobile))
        .filter(mobile__isnull=False)
    )


def blast_recipients(blast: Blast, *, user: User | None) -> QuerySet[Contact]:
    """The segment as `user` may see it now, cut to who may be texted. `user` is whoever
    acts: the viewer for a preview, the starter for the fan-out; never the author, whose
    scope may be wider than the actor's. Nobody (None): no one."""
    if user is None:
        return sms_reachable(Contact.objects.none())
    return sms_reachable(segment_contacts(user=user, segment=blast.segment))


def still_reachable(message_ids: list[int]) -> set[int]:
    """Of these messages, those whose person may still be texted at that number, now.

    Three small lookups by contact id, each on its own index, so the plan never depends on
    how fresh the tables' statistics are (right after a big import they are not)."""
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
            contact_id__in=contact_ids, channel="sms", status="granted"
        ).values_list("contact_id", flat=True)
    )
    numbers = set(
        ContactPhone.objects.filter(
            contact_id__in=allowed, kind=ContactPhone.Kind.MOBILE, sms_blocked=""
        ).values_list("contact_id", "e164")
    )
    stopped = set(
        OptOut.objects.filter(number__in={to for _pk, _c, to in messages}).values_list(
            "number", flat=True
        )
    )
    numbers = {(c, number) for c, number in numbers if number not in stopped}
    return {pk for pk, contact_id, to in messages if (contact_id, to) in numbers}


def blasts_for_staff(user: User) -> QuerySet[Blast]:
    """The blasts `user` may open: an admin all, an organizer their territories' (the whole
    campaign's are the admins': their text and recipients are not an organizer's to see)."""
    return owned_visible_to(
        Blast.objects.select_related("segment", "created_by", "territory"), user, national=False
    )


def blast_progress(blast: Blast) -> dict:
    """Counts by status, and replies received since it started, for the progress bar."""
    counts = dict(
        Message.objects.filter(blast=blast)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    sent = sum(counts.get(s, 0) for s in ("sent", "delivered", "undelivered"))
    replied = 0
    if blast.started_at:
        recipients = Message.objects.filter(blast=blast).values("contact_id")
        replied = (
            Inbound.objects.filter(contact_id__in=recipients, received_at__gte=blast.started_at)
            .values("contact_id")
            .distinct()
            .count()
        )
    done = total - counts.get("queued", 0) - counts.get("sending", 0)
    return {
        "total": total,
        "queued": counts.get("queued", 0) + counts.get("sending", 0),
        "sent": sent,
        "delivered": counts.get("delivered", 0),
        "failed": counts.get("failed", 0) + counts.get("undelivered", 0),
        "suppressed": counts.get("suppressed", 0),
        "cancelled": counts.get("cancelled", 0),
        "replied": replied,
        "percent": int(100 * done / total) if total else (100 if blast.status == "done" else 0),
        "status": blast.status,
    }


def inbox(user: User) -> QuerySet[Inbound]:
    """Replies from the contacts `user` may see; texts from unknown numbers, to admins only."""
    mine = Q(contact__in=contacts_visible_to(user).values("pk"))
    if user.is_admin:
        mine |= Q(contact__isnull=True)
    return Inbound.objects.filter(mine).select_related("contact")
