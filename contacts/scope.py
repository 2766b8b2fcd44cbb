"""Which contacts a user may see. The single place where territory scope is decided."""

from django.db.models import Q, QuerySet

from campaign.models import Territory, User

from .models import Contact
from .plugins import installed


def territory_q(territories) -> Q:
    """A filter matching contacts inside any of `territories` (commune, postal code or bureau)."""
    codes: dict[str, list[str]] = {kind: [] for kind in Territory.Kind.values}
    for territory in territories:
        codes[territory.kind].append(territory.code)
    q = Q(pk__in=[])  # matches nothing when there are no territories
    if codes[Territory.Kind.COMMUNE]:
        q |= Q(insee_code__in=codes[Territory.Kind.COMMUNE])
    if codes[Territory.Kind.POSTAL_CODE]:
        q |= Q(postal_code__in=codes[Territory.Kind.POSTAL_CODE])
    if codes[Territory.Kind.BUREAU]:
        q |= Q(bureau_code__in=codes[Territory.Kind.BUREAU])
    return q


def territories_visible_to(user: User) -> QuerySet[Territory]:
    if user.is_admin:
        return Territory.objects.all()
    if user.is_organizer:
        return user.territories.all()
    return Territory.objects.none()


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    """Admins see everyone; organizers their territories; volunteers only what is assigned
    to them, so that every list, search, detail page and export stays scoped."""
    if not user.is_authenticated or not user.is_active:
        return Contact.objects.none()
    if user.is_admin:
        return Contact.objects.all()
    if user.is_organizer:
        return Contact.objects.filter(territory_q(list(user.territories.all())))
    # What volunteers are assigned comes from the plugins of the apps that assign (texting
    # batches, turfs): each gives, for a user, a query of the contact ids they hold.
    held = Q(pk__in=[])
    for plugin in installed():
        assigned = plugin.assigned(user)
        if assigned is not None:
            held |= Q(pk__in=assigned)
    return Contact.objects.filter(held)
