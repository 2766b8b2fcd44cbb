"""Who may call what in the API, in one place. Every API view is for staff (StaffOnly: the
default of REST_FRAMEWORK in the settings, and of every OSDI view). A view open to more
people says so by naming another class: Public (what the site shows anyone: the entry point,
published petitions and fundraising pages, signing) or OnMission (a volunteer's mission:
their turf's walk list and door sync, where the view opens only what is theirs).

Imported by DRF's settings while rest_framework.views loads: nothing here may import it."""

from rest_framework.permissions import AllowAny, BasePermission


class StaffOnly(BasePermission):
    """The default: administrators and organizers, by their session or their token. A
    volunteer's missions never need people, opinions, tags, segments, gifts nor writes."""

    message = "The API is for staff (administrators and organizers)."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.can_use_crm)


class OnMission(BasePermission):
    """Opted in by a volunteer mission's view: anyone logged in, the view then opening only
    what is theirs (a turf they walk; another's is a 404)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class Public(AllowAny):
    """Opted in by a view showing what the site shows anyone (published pages, signing)."""
