"""The email pages: the outbox of the embedded defaults (blasts and unsubscribing next)."""

from django.urls import path

from . import public_views, staff_views, views
from .tracking import TRACKING_VIEWS, provider_webhook

app_name = "emails"
urlpatterns: list = [
    path("emails/", staff_views.blast_list_view, name="list"),
    path("emails/new/", staff_views.blast_new_view, name="new"),
    path("emails/<int:blast_id>/", staff_views.blast_detail_view, name="detail"),
    path("emails/<int:blast_id>/edit/", staff_views.blast_edit_view, name="edit"),
    path("emails/<int:blast_id>/progress.json", staff_views.blast_progress_view, name="progress"),
    path("emails/<int:blast_id>/<str:action>/", staff_views.blast_action_view, name="action"),
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
