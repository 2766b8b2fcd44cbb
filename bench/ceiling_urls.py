"""Benchmarks only: the app's URLs plus a minimal view that inserts one row (the ceiling)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from campaign.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def insert_one(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_ceiling (email) VALUES (%s)", [request.POST.get("email", "")]
        )
    return HttpResponse(status=201)


urlpatterns = [path("bench/ceiling/", insert_one), *app_urlpatterns]
