"""Writes for segments: save filters, freeze a segment into a static list, delete."""

from django.db import connection, transaction
from django.db.models import F, ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.models import Territory, User
from campaign.ownership import default_territory_for, may_change, territory_choices_for
from contacts.models import Segment

from .filters import SegmentFilters
from .selectors import segment_contacts

_UNCHANGED = object()


def _changeable(actor: User, segment: Segment) -> None:
    """The one write rule (campaign.ownership): organizers of the segment's territory and
    admins change it; to anyone else it is not even said to exist."""
    if not may_change(actor, segment):
        raise Http404


def _owner_checked(actor: User, territory: Territory | None) -> Territory | None:
    if territory is None and not actor.is_admin:
        raise ApplicationError(_("Say which territory this is for."), field="owner")
    if territory is not None and not territory_choices_for(actor).filter(pk=territory.pk).exists():
        raise ApplicationError(_("You cannot give it to this territory."), field="owner")
    return territory


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
        _changeable(actor, segment)
    name = name.strip()
    if not name:
        raise ApplicationError(_("A segment needs a name."), field="name")
    if segment is not None and segment.is_static:
        raise ApplicationError(_("A static list keeps its contacts: its filters cannot change."))
    if segment is None and territory is _UNCHANGED:
        territory = default_territory_for(actor)
    segment = segment or Segment(created_by=actor)
    if territory is not _UNCHANGED:
        segment.territory = _owner_checked(actor, territory)
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
    _changeable(actor, segment)
    try:
        segment.delete()
    except ProtectedError as error:
        raise ApplicationError(
            _("Texts were sent or are prepared to this segment: it is kept.")
        ) from error
