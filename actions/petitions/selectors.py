"""Reads for petitions: the public page, the live counter, the organizers' figures."""

from django.core.cache import cache, caches
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from campaign.models import User
from campaign.ownership import owned_visible_to
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


def petition_stats(*, petition: Petition, user: User) -> dict:
    """Signatures per day and per source (all of them: figures), and the latest signers the
    user may see (people: scoped)."""
    signatures = Signature.objects.filter(petition=petition, confirmed_at__isnull=False)
    per_day = list(
        signatures.annotate(day=TruncDate("signed_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    per_source = list(
        signatures.values("utm_source", "embedded").annotate(n=Count("id")).order_by("-n")[:20]
    )
    visible = contacts_visible_to(user).values("pk")
    latest = signatures.filter(contact__in=visible).select_related("contact")[:20]
    return {
        "per_day": per_day,
        "per_source": per_source,
        "latest": latest,
        "total": signatures.count(),
    }


def signatures_for_export(*, petition: Petition, user: User) -> QuerySet[Signature]:
    visible = contacts_visible_to(user).filter(erased_at__isnull=True).values("pk")
    return (
        Signature.objects.filter(petition=petition, contact__in=visible, confirmed_at__isnull=False)
        .select_related("contact")
        .prefetch_related("contact__emails", "contact__phones")
        .order_by("signed_at")
    )
