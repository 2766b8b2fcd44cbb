"""How donations plug into contacts: the timeline, merges, the explicit keep on erasure, the
segment filter, the donors of the funnel and the gifts counted on the dashboard."""

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.db.models import DateTimeField, F, Min, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.accounts.names import display_name
from campaign.ownership import TerritoryOwned
from contacts.demo import DemoSeed
from contacts.funnel.stages import Stage
from contacts.models import Contact
from contacts.plugins import (
    ActionFilter,
    ActionOffer,
    ActionPlugin,
    ActivityMetric,
    ContactRows,
    Keep,
    RebuildSource,
    TimelineEntry,
)

from . import demo as demo_data
from .merge import donations_merge
from .models import Donation, Drive
from .rules import euros
from .selectors import RECEIVED

DONORS_KEPT = (
    "A gift and its donor stay as given: the campaign's accounts filed with the CNCCFP "
    "account for every gift and its donor (French electoral code art. L52-12), and they "
    "prove the per-donor cap of art. L52-8 was kept."
)


class DonationsPlugin(ActionPlugin):
    def timeline(self, contact: Contact, limit: int) -> Iterable[TimelineEntry]:
        return timeline_entries(contact, limit)

    def action_filters(self) -> Sequence[ActionFilter]:
        return [
            ActionFilter(
                "donated",
                donated_filter,
                offer=ActionOffer(
                    label=gettext_lazy("Donated at least"), param="cents", choices=donated_choices
                ),
            )
        ]

    def rebuild_sources(self) -> Sequence[RebuildSource]:
        return [RebuildSource("donors", Stage.DONOR, gettext_lazy("Gift received"), donors)]

    def activity_metrics(self) -> Sequence[ActivityMetric]:
        return [
            ActivityMetric(
                "gifts",
                gettext_lazy("Gifts"),
                rows=gifts_received,
                moment="received_on",
                order=50,
                amount=kept_cents,
            )
        ]

    def contact_rows(self) -> Sequence[ContactRows]:
        # On a merge the kept contact is the donor of both: their gifts are judged again
        # against the caps on what the person gave in all, any excess to refund.
        return [ContactRows(Donation, merge=donations_merge, erase=Keep(DONORS_KEPT))]

    def owned_models(self) -> Sequence[type[TerritoryOwned]]:
        return [Drive]

    def seed_demo(self, demo: DemoSeed) -> None:
        demo_data.seed(demo)


def timeline_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
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
            actor=display_name(d.created_by),
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


def donors() -> QuerySet:
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
