"""Reads for segments: the contacts a user gets from a segment, and its count."""

from django.db.models import QuerySet

from campaign.models import User
from campaign.ownership import owned_changeable_by, owned_visible_to
from contacts.models import Contact, Segment, SegmentMember
from contacts.scope import contacts_visible_to, territories_visible_to

from .filters import SegmentFilters, apply_filters


def segments_visible_to(user: User) -> QuerySet[Segment]:
    """The segments `user` may use: admins all, organizers their territories' and the whole
    campaign's (campaign.ownership). What each one holds is cut to the user's scope."""
    return owned_visible_to(Segment.objects.select_related("created_by", "territory"), user)


def segments_changeable_by(user: User) -> QuerySet[Segment]:
    """The segments `user` may change or delete: admins all, organizers their territories'."""
    return owned_changeable_by(Segment.objects.all(), user)


def segment_preview_contacts(*, user: User, filters: SegmentFilters) -> QuerySet[Contact]:
    """Contacts matching unsaved filters (the builder's live count)."""
    visible = contacts_visible_to(user).filter(erased_at__isnull=True)
    return apply_filters(visible, filters, territories=territories_visible_to(user))


def contacts_in_segment(
    contacts: QuerySet[Contact], *, user: User, segment_id: int | None
) -> QuerySet[Contact]:
    """`contacts` cut to those of a segment `user` may use (none if they may not); all of
    them when no segment is chosen. The contacts list's filter by segment."""
    if segment_id is None:
        return contacts
    segment = segments_visible_to(user).filter(pk=segment_id).first()
    if segment is None:
        return contacts.none()
    return contacts.filter(pk__in=segment_contacts(user=user, segment=segment).values("pk"))


def segment_contacts(*, user: User, segment: Segment) -> QuerySet[Contact]:
    """The contacts of a segment that `user` may see, now."""
    visible = contacts_visible_to(user).filter(erased_at__isnull=True)
    if segment.is_static:
        members = SegmentMember.objects.filter(segment=segment).values("contact_id")
        return visible.filter(pk__in=members)
    return apply_filters(
        visible, SegmentFilters.from_dict(segment.filters), territories=territories_visible_to(user)
    )
