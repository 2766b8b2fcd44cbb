"""Reads for donations: what a donor gave within a cap's window, the entity's cash."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from campaign.models import User
from campaign.ownership import owned_changeable_by, owned_visible_to
from contacts.identity import person_records
from contacts.normalize import search_key
from contacts.scope import contacts_visible_to

from . import rules
from .models import Donation, Drive, Entity
from .providers import provider_label


def pledge_expired() -> Q:
    """Pledges that no longer count toward a cap: a card page left open for an hour, a
    cheque or transfer not arrived after DONATION_PLEDGE_EXPIRY_DAYS. Anyone may pledge
    under any email on a public page: a pledge never paid must not block real gifts."""
    now = timezone.now()
    return Q(status=Donation.Status.PLEDGED) & (
        Q(method=Donation.Method.CARD, created_at__lt=now - timedelta(hours=1))
        | Q(
            method__in=[Donation.Method.CHEQUE, Donation.Method.TRANSFER],
            created_at__lt=now - timedelta(days=settings.DONATION_PLEDGE_EXPIRY_DAYS),
        )
    )


def _kept(donations: QuerySet[Donation]) -> int:
    """What counts toward a cap: each gift less what was (or is to be) refunded; a pledge
    counts as soon as it is made, so two pledges cannot pass a cap together, until it
    expires (pledge_expired)."""
    total = (
        donations.exclude(status=Donation.Status.CANCELLED)
        .exclude(pledge_expired())
        .aggregate(kept=Sum(F("amount_cents") - F("refund_cents")))["kept"]
    )
    return int(total or 0)


def _election_key(entity: Entity) -> tuple:
    """What names an entity's election: its kind and first round when both are known (one
    general election, every constituency), else its election's name, accents and case
    aside; an entity without either is an election of its own."""
    if entity.election_kind and entity.election_day:
        return ("day", entity.election_kind, entity.election_day)
    name = search_key(entity.election)
    return ("name", name) if name else ("entity", entity.pk)


def same_election(entity: Entity) -> list[int]:
    """The candidate entities sharing `entity`'s cap: L52-8 caps a donor at 4,600 € "for
    the campaign of one or more candidates at the same elections". Two entities with a
    first round each are the same election when it is the same kind and day; otherwise
    when their election's name is the same. A campaign has a few entities: read in Python."""
    if entity.kind != Entity.Kind.CANDIDATE:
        return [entity.pk]
    mine = _election_key(entity)
    mine_name = search_key(entity.election)
    shared = [entity.pk]
    for other in Entity.objects.filter(kind=Entity.Kind.CANDIDATE).exclude(pk=entity.pk):
        theirs = _election_key(other)
        if mine[0] == theirs[0] == "day":
            if mine == theirs:
                shared.append(other.pk)
        elif mine_name and mine_name == search_key(other.election):
            shared.append(other.pk)
    return shared


def given_in_window(
    *,
    entity: Entity,
    contact_id: int,
    on: date,
    declared_cents: int = 0,
    excluding: int | None = None,
) -> int:
    """Cents this donor gave that count toward the cap: for a candidate, everything given
    to every candidate of the same election (same_election); for a party, the gifts and fees
    of the calendar year to it, and to all other parties: the most the donor declared
    giving them this year (`declared_cents` now, or with an earlier gift), or what other
    parties in Terrain recorded if more. `excluding`: a gift being judged again."""
    # The person, under every record that is them (contacts.identity): one person, one cap.
    person = person_records(contact_id)
    donations = _other_than(Donation.objects.filter(contact_id__in=person), excluding)
    if entity.kind == Entity.Kind.CANDIDATE:
        return _kept(donations.filter(entity_id__in=same_election(entity)))
    year = donations.filter(received_on__year=on.year, entity__kind=Entity.Kind.PARTY)
    declared = (
        year.exclude(status=Donation.Status.CANCELLED)
        .exclude(pledge_expired())
        .aggregate(most=Max("other_parties_cents"))["most"]
    )
    others = _kept(year.exclude(entity=entity))
    return _kept(year.filter(entity=entity)) + max(declared_cents, declared or 0, others)


def financing_of(entity: Entity) -> tuple[date | None, date | None]:
    """A candidate's L52-4 financing period: its own dates, each defaulted from its election
    (kind and first round); open where neither is known. A party has none."""
    if entity.kind != Entity.Kind.CANDIDATE:
        return None, None
    start, end = entity.financing_from, entity.financing_until
    if entity.election_day and not (start and end):
        default_start, default_end = rules.financing_period(
            election_kind=entity.election_kind, election_day=entity.election_day
        )
        start, end = start or default_start, end or default_end
    return start, end


def cash_received(*, entity: Entity, excluding: int | None = None) -> int:
    """The entity's cash gifts so far (`excluding` a gift being judged again)."""
    cash = Donation.objects.filter(entity=entity, method=Donation.Method.CASH)
    return _kept(_other_than(cash, excluding))


def _other_than(donations: QuerySet[Donation], excluding: int | None) -> QuerySet[Donation]:
    return donations if excluding is None else donations.exclude(pk=excluding)


def donations_for_staff(user: User) -> QuerySet[Donation]:
    if not user.can_use_crm:
        return Donation.objects.none()
    return (
        Donation.objects.filter(contact__in=contacts_visible_to(user).values("pk"))
        .select_related("contact", "entity")
        .prefetch_related("receipts")
    )


@dataclass(frozen=True)
class DonationFilters:
    """What the donations page is narrowed to; the defaults are every gift in scope."""

    drive: int | None = None  # a fundraising page's id
    no_drive: bool = False  # gifts recorded by hand or imported, from no page
    status: str = ""
    method: str = ""
    received_from: date | None = None
    received_to: date | None = None

    @property
    def active(self) -> bool:
        return self != DonationFilters()


def donation_list(*, user: User, filters: DonationFilters) -> QuerySet[Donation]:
    """The gifts `user` may see (their people's: donations_for_staff), narrowed by `filters`;
    the page's list, figures and reports all read this one queryset."""
    donations = donations_for_staff(user)
    if filters.no_drive:
        donations = donations.filter(drive__isnull=True)
    elif filters.drive is not None:
        donations = donations.filter(drive_id=filters.drive)
    if filters.status:
        donations = donations.filter(status=filters.status)
    if filters.method:
        donations = donations.filter(method=filters.method)
    if filters.received_from:
        donations = donations.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        donations = donations.filter(received_on__lte=filters.received_to)
    return donations


def drive_choices(user: User) -> QuerySet[Drive]:
    """The pages `user` may open, by title: what the donations page's filter offers."""
    return owned_visible_to(Drive.objects.all(), user).order_by("title", "pk")


def drives_for_staff(user: User) -> QuerySet[Drive]:
    """The fundraising pages `user` may open (campaign.ownership): an administrator all, an
    organizer their territories' and the whole campaign's; each with what it has raised
    (paid gifts, less refunds) and its gifts."""
    paid = Q(donations__status__in=[Donation.Status.PAID, Donation.Status.TO_REFUND])
    return (
        owned_visible_to(Drive.objects.all(), user)
        .select_related("entity", "territory")
        .annotate(
            raised_cents=Coalesce(
                Sum(F("donations__amount_cents") - F("donations__refund_cents"), filter=paid), 0
            ),
            gifts=Count("donations", filter=paid),
        )
        .order_by("-created_at", "-pk")
    )


def drive_ids_changeable_by(user: User) -> set[int]:
    """The pages `user` may change (their territories'; an administrator's, all): the list
    links to their forms."""
    return set(owned_changeable_by(Drive.objects.all(), user).values_list("pk", flat=True))


def donation_figures(donations: QuerySet[Donation]) -> dict:
    """Count, total, average and median gift (less refunds), in cents."""
    kept = sorted(
        donations.exclude(status__in=[Donation.Status.CANCELLED, Donation.Status.PLEDGED])
        .annotate(kept=F("amount_cents") - F("refund_cents"))
        .values_list("kept", flat=True)
    )
    count = len(kept)
    total = sum(kept)
    if not count:
        return {"count": 0, "total": 0, "average": 0, "median": 0}
    middle = count // 2
    median = kept[middle] if count % 2 else (kept[middle - 1] + kept[middle]) // 2
    return {"count": count, "total": total, "average": total // count, "median": median}


def raised(drive) -> int:
    """What a page has raised: paid gifts, less refunds."""
    return _kept(
        Donation.objects.filter(
            drive=drive, status__in=[Donation.Status.PAID, Donation.Status.TO_REFUND]
        )
    )


def suggested(drive) -> list[int]:
    """The page's amounts, or ones around the average gift: 20, 35, 50, 100 €."""
    return drive.suggested_cents or [2_000, 3_500, 5_000, 10_000]


def donor_list(*, entity: Entity, year: int | None):
    """One line per donor for the CNCCFP: what they gave the entity (for a party, in
    `year`), less refunds, how many gifts, and their receipts."""
    donations = Donation.objects.filter(entity=entity).exclude(
        status__in=[Donation.Status.PLEDGED, Donation.Status.CANCELLED]
    )
    if year is not None:
        donations = donations.filter(received_on__year=year)
    return (
        donations.values(
            "contact_id",
            "contact__last_name",
            "contact__first_name",
            "contact__street",
            "contact__postal_code",
            "contact__commune",
        )
        .annotate(
            kept=Coalesce(Sum(F("amount_cents") - F("refund_cents")), 0),
            gifts=Count("pk"),
            # The address typed with a gift, for a donor whose record has none (a public
            # form does not write onto a known contact: the gift keeps it).
            typed_street=Max("donor_street"),
            typed_postal_code=Max("donor_postal_code"),
            typed_commune=Max("donor_commune"),
        )
        .order_by("contact__last_name", "contact__first_name", "contact_id")
    )


def donation_report(donations: QuerySet[Donation]) -> dict:
    """Totals by page, by provider and by month (the last 12), and the monthly recurring
    revenue: what the monthly gifts under way bring each month. Paid gifts, less refunds."""
    paid = donations.filter(status__in=[Donation.Status.PAID, Donation.Status.TO_REFUND])
    kept = Sum(F("amount_cents") - F("refund_cents"))

    def grouped(*fields):
        return list(paid.values(*fields).annotate(kept=kept, gifts=Count("pk")).order_by("-kept"))

    methods = dict(Donation.Method.choices)

    since = timezone.localdate().replace(day=1) - timedelta(days=335)
    months = list(
        paid.filter(received_on__gte=since)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(kept=kept, gifts=Count("pk"))
        .order_by("month")
    )
    mrr = paid.filter(monthly=True, series__isnull=True, stopped_at__isnull=True).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return {
        "by_page": grouped("drive__title"),
        "by_provider": [
            {
                **row,
                "provider_label": provider_label(row["provider"]),
                "method_label": methods.get(row["method"], row["method"]),
            }
            for row in grouped("provider", "method")
        ],
        "by_source": grouped("utm_source"),
        "by_month": months,
        "mrr": int(mrr or 0),
    }


# Funnel: a gift received (paid, or to refund only in part) makes a donor, on its day.
RECEIVED = (Donation.Status.PAID, Donation.Status.TO_REFUND, Donation.Status.REFUNDED)


def donor_moment(day: date) -> datetime:
    """The time a gift counts from: noon (UTC) of the day it was received, as a query of the
    donors (the donations plugin's funnel source) computes it."""
    return datetime.combine(day, time(12), tzinfo=UTC)
