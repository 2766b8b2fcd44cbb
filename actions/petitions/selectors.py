"""Reads for petitions: the public page, the live counter, the organizers' figures."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache, caches
from django.db.models import Count, DateField, Min, QuerySet
from django.db.models.functions import Trunc
from django.utils import timezone

from campaign.models import User
from campaign.ownership import owned_visible_to
from contacts.funnel.selectors import Period
from contacts.scope import contacts_visible_to

from .models import Petition, Signature
from .services import signature_count_key

PUBLIC_SECONDS = 5  # how stale the public side may be: a change shows within this time


def public_key(slug: str) -> str:
    return f"petition-public:{slug}"


def forget_public(sender, instance: Petition, **kwargs) -> None:
    """post_save: this process sees a change at once; the others within PUBLIC_SECONDS."""
    caches["local"].delete(public_key(instance.slug))


def petition_public(slug: str) -> Petition | None:
    """A petition the public may see: published, or closed (shown as closed).

    Kept a few seconds in the process's memory: a viral petition is read on every view
    and every signature, and changes rarely.
    """
    petition = caches["local"].get(public_key(slug))
    if petition is None:
        petition = Petition.objects.filter(
            slug=slug, status__in=[Petition.Status.PUBLISHED, Petition.Status.CLOSED]
        ).first()
        caches["local"].set(public_key(slug), petition or False, timeout=PUBLIC_SECONDS)
    return petition or None


def signature_count(petition: Petition) -> int:
    """The live counter, cached for a few seconds: a viral petition is read far more than signed.

    Signing does not clear it: under load that would turn every page view into a COUNT.
    """
    key = signature_count_key(petition.pk)
    count = cache.get(key)
    if count is None:
        count = Signature.objects.filter(petition=petition, confirmed_at__isnull=False).count()
        cache.set(key, count, timeout=5)
    return count


def petitions_for_staff(user: User) -> QuerySet[Petition]:
    """The petitions `user` may open: admins all; organizers their territories' and the
    whole campaign's (read only: campaign.ownership decides who changes one)."""
    return owned_visible_to(Petition.objects.all(), user, national=True).annotate(
        signature_total=Count("signatures")
    )


@dataclass
class PetitionStats:
    """A petition's figures over a period: signatures per day, week or month (as the
    funnel's activity: days for a month, weeks up to 40, months beyond), per source."""

    total: int  # every confirmed signature, whatever the period
    in_period: int
    period: Period
    bucket: str  # day, week or month
    series: list[tuple[date, int, int]]  # (start, count, 0), oldest first, gaps at 0
    per_source: list[dict]  # {utm_source, embedded, n, share}, the largest first
    latest: list[Signature]

    @property
    def rows(self) -> list[tuple[date, int, int]]:
        """The series as a table reads it: the latest first."""
        return self.series[::-1]

    @property
    def peak(self) -> int:
        return max((n for _s, n, _c in self.series), default=0)


def petition_stats(*, petition: Petition, user: User, period: Period) -> PetitionStats:
    """Signatures over `period` and where they came from (all of them: figures), and the
    latest signers the user may see (people: scoped)."""
    signatures = Signature.objects.filter(petition=petition, confirmed_at__isnull=False)
    first = period.first
    if first is None:  # since the beginning: since the first signature
        earliest = signatures.aggregate(at=Min("signed_at"))["at"]
        first = timezone.localdate(earliest) if earliest else period.last
    first = min(first, period.last)
    span = (period.last - first).days
    bucket = "day" if span <= 31 else "week" if span <= 7 * 40 else "month"
    within = signatures.filter(
        signed_at__gte=_midnight(first), signed_at__lt=_midnight(period.last + timedelta(days=1))
    )
    counts = dict(
        within.annotate(start=Trunc("signed_at", bucket, output_field=DateField()))
        .values("start")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("start", "n")
    )
    series = [(start, counts.get(start, 0), 0) for start in _starts(first, period.last, bucket)]
    in_period = sum(counts.values())
    per_source = list(
        within.values("utm_source", "embedded").annotate(n=Count("id")).order_by("-n")[:10]
    )
    for row in per_source:
        row["share"] = row["n"] / in_period
    visible = contacts_visible_to(user).values("pk")
    latest = list(signatures.filter(contact__in=visible).select_related("contact")[:10])
    return PetitionStats(
        total=signatures.count(),
        in_period=in_period,
        period=Period(first=first, last=period.last),
        bucket=bucket,
        series=series,
        per_source=per_source,
        latest=latest,
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _starts(first: date, last: date, bucket: str) -> list[date]:
    """Each day, week (from its Monday) or month (from its 1st) from `first` to `last`."""
    if bucket == "week":
        first = first - timedelta(days=first.weekday())
    elif bucket == "month":
        first = first.replace(day=1)
    starts = []
    while first <= last:
        starts.append(first)
        if bucket == "day":
            first += timedelta(days=1)
        elif bucket == "week":
            first += timedelta(days=7)
        else:
            first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def signatures_for_export(*, petition: Petition, user: User) -> QuerySet[Signature]:
    visible = contacts_visible_to(user).filter(erased_at__isnull=True).values("pk")
    return (
        Signature.objects.filter(petition=petition, contact__in=visible, confirmed_at__isnull=False)
        .select_related("contact")
        .prefetch_related("contact__emails", "contact__phones")
        .order_by("signed_at")
    )


def petition_question_labels(petition: Petition) -> list[str]:
    """The petition's extra questions as they are asked now (answers are kept by label)."""
    return [
        (q.get("label", "") if isinstance(q, dict) else str(q)) for q in petition.questions or []
    ]


def answers_in_columns(signature: Signature, questions: list[str]) -> tuple[list[str], str]:
    """A signer's answers in the order of `questions`, and those to questions since renamed
    or removed as "question: answer" lines."""
    answers = signature.answers or {}
    other = [f"{label}: {text}" for label, text in answers.items() if label not in questions]
    return [answers.get(label, "") for label in questions], "\n".join(other)
