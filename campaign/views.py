"""Pages that belong to no single app: home, health, error pages."""

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

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
