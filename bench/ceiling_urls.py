"""Benchmarks only: the app's URLs plus the ceiling, the least a Django form can do: GET a
page with a CSRF token, POST it (the token checked) to insert one row, redirect."""

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from campaign.urls import urlpatterns as app_urlpatterns


def insert_one(request):
    if request.method == "GET":
        token = get_token(request)
        return HttpResponse(
            '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{token}"><input name="email"><button>Go</button></form>'
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_ceiling (email) VALUES (%s)", [request.POST.get("email", "")]
        )
    return HttpResponseRedirect("/bench/ceiling/")


@csrf_exempt
def insert_one_bare(request):
    """One POST, no page, no token: what the ceiling was before (printed for comparison)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_ceiling (email) VALUES (%s)", [request.POST.get("email", "")]
        )
    return HttpResponse(status=201)


urlpatterns = [
    path("bench/ceiling/", insert_one),
    path("bench/ceiling-bare/", insert_one_bare),
    *app_urlpatterns,
]
