from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("donations/", views.donation_list_view, name="list"),
    path("donations/new/", views.donation_new_view, name="new"),
]
