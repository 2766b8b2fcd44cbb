"""Pages that belong to no single app: home, health, error pages."""

import sys

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views.decorators.cache import cache_page, never_cache
from django.views.i18n import JavaScriptCatalog

from campaign.http import AuthenticatedHttpRequest
from campaign.permissions import public
from contacts.funnel.views import dashboard_context
from contacts.missions import missions_for
from contacts.selectors import home_summary

from .exceptions import service_outage
from .health import health_answer
from .permissions import login_rule


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    # Anyone: ok or not; staff or the monitoring token: the state of each service.
    status, report = health_answer(request)
    return JsonResponse(report, status=status)


# Our scripts' strings only (locale/*/djangojs.po), not the admin's: a light file for phones.
_catalogue = JavaScriptCatalog.as_view(packages=["campaign"])


@public
@cache_page(24 * 3600, cache="local")  # changes with a deploy only, which empties "local"
def javascript_catalog(request: HttpRequest, lang: str) -> HttpResponseBase:
    """The scripts' translations (gettext, ngettext, interpolate) in `lang`. The language is
    in the URL so that a phone keeps one copy per language for its offline walk lists."""
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(lang):
        return _catalogue(request)


@login_rule
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    cards = missions_for(request.user)
    if not request.user.can_use_crm:
        return render(request, "volunteer_home.html", {"missions": cards})
    return render(
        request,
        "home.html",
        {**home_summary(user=request.user), "missions": cards, **dashboard_context(request)},
    )


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    """A bug: 500. PostgreSQL or Redis out of reach (a restart): 503 with Retry-After and a
    message to try again. No context processors: the database may be what failed."""
    if not service_outage(sys.exc_info()[1]):
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": OUTAGE_MESSAGE}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


OUTAGE_MESSAGE = "Terrain is briefly unavailable (a service is restarting); try again in a minute."
