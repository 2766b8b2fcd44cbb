"""Reads for duplicates: the pairs a user may review."""

from django.db.models import QuerySet

from campaign.models import User
from contacts.models import DuplicateCandidate
from contacts.scope import contacts_visible_to


def duplicates_to_review(*, user: User) -> QuerySet[DuplicateCandidate]:
    """Open pairs whose two contacts the user may both see."""
    visible = contacts_visible_to(user).filter(erased_at__isnull=True).values("pk")
    return (
        DuplicateCandidate.objects.filter(
            status=DuplicateCandidate.Status.OPEN, contact_a__in=visible, contact_b__in=visible
        )
        .select_related("contact_a", "contact_b")
        .prefetch_related(
            "contact_a__emails", "contact_a__phones", "contact_b__emails", "contact_b__phones"
        )
        .order_by("-found_at", "-id")
    )
