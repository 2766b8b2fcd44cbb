"""Writes for segments: save filters, freeze a segment into a static list, delete."""

from django.db import connection, transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import User
from campaign.ownership import (
    default_territory_for,
    ensure_may_change,
    owner_checked,
)
from contacts.models import Segment

from .filters import SegmentFilters
from .selectors import segment_contacts

_UNCHANGED = object()


@transaction.atomic
def segment_save(
    *,
    actor: User,
    name: str,
    filters: SegmentFilters,
    description: str = "",
    segment: Segment | None = None,
    territory=_UNCHANGED,
) -> Segment:
    """Create a dynamic segment, or change one. `territory` says whose it is (a new one is
    the author's by default, see campaign.ownership); only its owners change it."""
    if segment is not None:
        ensure_may_change(actor, segment)
    name = name.strip()
    if not name:
        raise ApplicationError(_("A segment needs a name."), field="name")
    if segment is not None and segment.is_static:
        raise ApplicationError(_("A static list keeps its contacts: its filters cannot change."))
    if segment is None and territory is _UNCHANGED:
        territory = default_territory_for(actor)
    segment = segment or Segment(created_by=actor)
    if territory is not _UNCHANGED:
        segment.territory = owner_checked(actor, territory, field="owner")
    segment.name, segment.description = name[:200], description
    segment.filters = filters.to_dict()
    segment.save()
    return segment


@transaction.atomic
def segment_freeze(*, segment: Segment, actor: User, name: str = "") -> Segment:
    """A static list holding the contacts the segment gives `actor` right now (set-based).
    Freezing uses a segment (any one `actor` may see); the list is the actor's own."""
    frozen = Segment.objects.create(
        territory=default_territory_for(actor),
        name=(name or _("%(name)s (list)") % {"name": segment.name})[:200],
        description=segment.description,
        filters=segment.filters,
        is_static=True,
        created_by=actor,
    )
    contacts = (
        segment_contacts(user=actor, segment=segment)
        .order_by()
        .annotate(member_id=F("pk"))
        .values("member_id")
    )
    sql, params = contacts.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO contacts_segmentmember (segment_id, contact_id) SELECT %s, t.member_id FROM ({sql}) t",  # noqa: S608
            [frozen.pk, *params],
        )
    return frozen


@transaction.atomic
def segment_delete(*, segment: Segment, actor: User) -> None:
    """Delete a segment no blast nor texting campaign targets (they keep theirs)."""
    ensure_may_change(actor, segment)
    try:
        segment.delete()
    except ProtectedError as error:
        raise ApplicationError(
            _("Texts were sent or are prepared to this segment: it is kept.")
        ) from error
