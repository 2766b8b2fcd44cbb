from django.urls import path

from . import views

app_name = "funnel"

urlpatterns = [
    path("export/<slug:what>.csv", views.funnel_export_view, name="export"),
]
