"""Reads for segments: the contacts a user gets from a segment, and its count."""

from django.db.models import QuerySet

from campaign.models import User
from contacts.models import Contact, Segment, SegmentMember
from contacts.scope import contacts_visible_to, territories_visible_to

from .filters import SegmentFilters, apply_filters


def segments_visible_to(user: User) -> QuerySet[Segment]:
    """Segments are shared by the campaign's staff; what each one holds is cut to the user's scope."""
    if not user.can_use_crm:
        return Segment.objects.none()
    return Segment.objects.select_related("created_by")


def segment_preview_contacts(*, user: User, filters: SegmentFilters) -> QuerySet[Contact]:
    """Contacts matching unsaved filters (the builder's live count)."""
    visible = contacts_visible_to(user).filter(erased_at__isnull=True)
    return apply_filters(visible, filters, territories=territories_visible_to(user))


def segment_contacts(*, user: User, segment: Segment) -> QuerySet[Contact]:
    """The contacts of a segment that `user` may see, now."""
    visible = contacts_visible_to(user).filter(erased_at__isnull=True)
    if segment.is_static:
        members = SegmentMember.objects.filter(segment=segment).values("contact_id")
        return visible.filter(pk__in=members)
    return apply_filters(
        visible, SegmentFilters.from_dict(segment.filters), territories=territories_visible_to(user)
    )
