"""Access rules for views, declared once and used as decorators."""

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
