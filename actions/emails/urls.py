"""The email pages: the outbox of the embedded defaults (blasts and unsubscribing next)."""

from django.urls import path

from . import public_views, views
from .tracking import TRACKING_VIEWS, provider_webhook

app_name = "emails"
urlpatterns: list = [
    path("emails/unsubscribe/<str:token>/", public_views.unsubscribe_view, name="unsubscribe"),
    path("emails/outbox/", views.outbox_list, name="outbox"),
    path("emails/outbox/<str:message_id>/", views.outbox_detail, name="outbox_message"),
    path("emails/outbox/<str:message_id>/html/", views.outbox_html, name="outbox_html"),
    # The providers' tracking webhooks (bounces, complaints, deliveries).
    *(
        path(f"webhooks/email/{provider}/", provider_webhook(provider), name=f"tracking_{provider}")
        for provider in TRACKING_VIEWS
    ),
]
