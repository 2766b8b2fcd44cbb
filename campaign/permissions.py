"""Access rules for views, declared once and used as decorators.

Every URL's view declares who may use it in its `access_rule` (tests/campaign/
test_access.py fails on one that does not):

- "public": anyone, logged in or not (petition and donation pages, login, health);
- "login": anyone logged in; the view then checks the object (a volunteer's own turf);
- "crm": staff, admins and organizers (volunteers get a 403, visitors the login page);
- "admin": administrators only;
- "api": the API, where DRF's authentication (token or session) and permission classes
  decide, per method;
- "signed": a provider's webhook, which must carry its valid signature (Twilio).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def crm_required(view):
    """Staff pages: admins and organizers. Volunteers get a 403, anonymous users the login page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.can_use_crm:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.access_rule = "crm"
    return wrapper


def admin_required(view):
    """Administrators only: what reaches across every territory (webhooks)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.access_rule = "admin"
    return wrapper


def login_rule(view):
    """Anyone logged in; the view checks what they may touch."""
    wrapped = login_required(view)
    wrapped.access_rule = "login"
    return wrapped


def public(view):
    """Anyone, logged in or not: said out loud, for the access inventory."""
    view.access_rule = "public"
    return view


# Views of Django and of packages, by their class or function name.
THIRD_PARTY_RULES = {
    "LoginView": "public",
    "LogoutView": "public",
    "PasswordResetView": "public",
    "PasswordResetDoneView": "public",
    "PasswordResetConfirmView": "public",
    "PasswordResetCompleteView": "public",
    "PasswordChangeView": "login",
    "PasswordChangeDoneView": "login",
    "set_language": "public",
    "SpectacularAPIView": "public",
    "SpectacularSwaggerSplitView": "public",
}


def access_rule_of(callback) -> str | None:
    """The rule a URL's view declares (its own, its class's, or a known third party's)."""
    rule = getattr(callback, "access_rule", None)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if rule is None and cls is not None:
        rule = getattr(cls, "access_rule", None)
    name = cls.__name__ if cls is not None else getattr(callback, "__name__", "")
    return rule or THIRD_PARTY_RULES.get(name)
