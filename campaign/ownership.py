"""Whose an object is. Campaign objects (petitions, blasts, texting campaigns, door-to-door
campaigns, fundraising pages, segments) belong to one territory, or to the whole campaign.

The write rule, in one place: the organizers of the owning territory and the administrators
change an object; nobody else does, and to anybody else an object they may not see is a 404,
as a contact outside their scope is. An object of the whole campaign (no territory) is
changed by administrators only; organizers may read it where the app says so (a national
petition's figures, cut to their own contacts), never change it.
"""

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .exceptions import ApplicationError
from .models import Territory, User

M = TypeVar("M", bound=models.Model)


class TerritoryOwned(models.Model):
    """Adds `territory`: whose the object is (empty: the whole campaign's, admins only)."""

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        null=True,
        blank=True,
        # A territory removed hands its objects to the administrators, never to anyone else.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Whose it is: this territory's organizers and the administrators change it. "
            "Empty: the whole campaign's, changed by administrators only."
        ),
    )

    class Meta:
        abstract = True


def _own_territory_ids(user: User) -> list[int]:
    return list(user.territories.values_list("pk", flat=True))


def owned_visible_to(
    queryset: QuerySet, user: User | AnonymousUser, *, national: bool = True
) -> QuerySet:
    """The objects `user` may open: admins all; organizers their territories' (and, when
    `national`, the whole campaign's, read only); volunteers and visitors none."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if user.is_admin:
        return queryset
    if not user.is_organizer:
        return queryset.none()
    mine = Q(territory__in=_own_territory_ids(user))
    return queryset.filter(mine | Q(territory__isnull=True) if national else mine)


def owned_changeable_by(queryset: QuerySet, user: User) -> QuerySet:
    """The objects `user` may change: admins all, organizers their territories' only."""
    return owned_visible_to(queryset, user, national=False)


def may_change(user: User, obj: TerritoryOwned) -> bool:
    """Whether `user` may change `obj` (the same rule as `owned_changeable_by`)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_admin:
        return True
    return (
        user.is_organizer
        and obj.territory_id is not None
        and obj.territory_id in _own_territory_ids(user)
    )


def get_in_scope_or_404(in_scope: QuerySet[M], **lookup) -> M:
    """The object `lookup` names among `in_scope`, the objects a selector says the user may
    see (or change); a 404 otherwise, the same for a missing object as for one out of scope,
    so that nothing says it exists. Every view and API finds its object here."""
    obj = in_scope.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_changeable_or_404(queryset: QuerySet[M], user: User, **lookup) -> M:
    """The object `lookup` names if `user` may change it; a 404 otherwise (as for reads, an
    object out of scope is not even said to exist)."""
    return get_in_scope_or_404(owned_changeable_by(queryset, user), **lookup)


def territory_choices_for(user: User) -> QuerySet[Territory]:
    """The territories `user` may give an object to: admins any, organizers their own."""
    if user.is_admin:
        return Territory.objects.all()
    if user.is_organizer:
        return user.territories.all()
    return Territory.objects.none()


def default_territory_for(user: User) -> Territory | None:
    """Where a new object goes when its author does not say: an organizer's only (or first)
    territory; for an administrator, the whole campaign."""
    if user.is_admin:
        return None
    return territory_choices_for(user).order_by("pk").first()


def ensure_may_change(actor: User, obj: TerritoryOwned) -> None:
    """The write rule checked again where the write happens, for a caller that did not find
    `obj` through `get_changeable_or_404`: out of the actor's reach it is a 404 there too."""
    if not may_change(actor, obj):
        raise Http404


def owner_checked(actor: User, territory: Territory | None, *, field: str = "territory"):
    """The territory `actor` gives an object: one of their own; only an administrator leaves
    it to the whole campaign (None)."""
    if territory is None and not actor.is_admin:
        raise ApplicationError(gettext("Say which territory this is for."), field=field)
    if territory is not None and not territory_choices_for(actor).filter(pk=territory.pk).exists():
        raise ApplicationError(gettext("You cannot give it to this territory."), field=field)
    return territory


def owner_chosen(user: User, chosen: Territory | None, obj: TerritoryOwned | None):
    """The owner a form's answer means: an organizer who chose none keeps the object's, or
    gets their own territory for a new one (an empty owner is the whole campaign's, which
    only an administrator may choose)."""
    if chosen is None and not user.is_admin:
        return obj.territory if obj is not None else default_territory_for(user)
    return chosen
