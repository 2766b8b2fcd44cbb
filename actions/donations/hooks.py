"""How donations plug into contacts: the timeline and the segment filter."""

from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.timeline import TimelineEntry

from .models import Donation
from .rules import euros


def timeline_entries(contact, limit: int) -> list[TimelineEntry]:
    donations = Donation.objects.filter(contact=contact).select_related("entity", "created_by")
    return [
        TimelineEntry(
            at=d.created_at,
            kind="donation",
            title=_("%(kind)s of %(amount)s to %(entity)s (%(method)s)")
            % {
                "kind": d.get_kind_display(),
                "amount": euros(d.amount_cents),
                "entity": d.entity.name,
                "method": d.get_method_display(),
            },
            detail=d.get_status_display()
            + (f" · {_('to refund')} {euros(d.refund_cents)}" if d.refund_cents else ""),
            actor=d.created_by.get_username() if d.created_by else "",
        )
        for d in donations.order_by("-created_at")[:limit]
    ]


def donated_choices() -> list[tuple[str, str]]:
    return [
        (str(c), gettext_lazy("%(amount)s or more in all") % {"amount": euros(c)})
        for c in (100, 5_000, 10_000, 50_000, 100_000)
    ]


def donated_filter(contacts: QuerySet, params: dict) -> QuerySet:
    """Segment filter {"cents": N}: people whose gifts, less refunds, add up to N or more
    (grouped from the donations side: one pass over the gifts, not one per person)."""
    wanted = str(params.get("cents", ""))
    if not wanted.isdigit():
        return contacts.none()
    donors = (
        Donation.objects.exclude(status__in=[Donation.Status.PLEDGED, Donation.Status.CANCELLED])
        .values("contact_id")
        .annotate(kept=Sum(F("amount_cents") - F("refund_cents")))
        .filter(kept__gte=int(wanted))
        .values("contact_id")
    )
    return contacts.filter(pk__in=donors)


def move_donations(kept_id: int, dropped_id: int) -> None:
    """On a merge: the kept contact is the donor of both (their caps add up from now)."""
    Donation.objects.filter(contact_id=dropped_id).update(contact_id=kept_id)


# Funnel: a gift received (paid, or to refund only in part) makes a donor, on its day.
RECEIVED = (Donation.Status.PAID, Donation.Status.TO_REFUND, Donation.Status.REFUNDED)


def donor_moment(day):
    """The time a gift counts from: noon (UTC) of the day it was received, as a query of the
    donors computes it."""
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(12), tzinfo=UTC)


def donors() -> QuerySet:
    from datetime import timedelta

    from django.db.models import DateTimeField, Min
    from django.db.models.functions import Cast

    # The day as a moment first: SQLite adds a duration to a bare date as a date (midnight,
    # written as '2026-06-01'), where PostgreSQL gives the timestamp at noon.
    noon = Cast("received_on", DateTimeField()) + timedelta(hours=12)
    return (
        Donation.objects.filter(status__in=RECEIVED, amount_cents__gt=F("refund_cents"))
        .values(person=F("contact_id"))
        .annotate(at=Min(noon))
    )


def gifts_received() -> QuerySet:
    return Donation.objects.filter(status__in=RECEIVED)


def kept_cents():
    return F("amount_cents") - F("refund_cents")
