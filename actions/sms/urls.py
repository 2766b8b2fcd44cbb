from django.urls import path

from . import views, webhooks

app_name = "sms"

urlpatterns = [
    path("webhooks/twilio/status", webhooks.status_webhook, name="status_webhook"),
    path("webhooks/twilio/inbound", webhooks.inbound_webhook, name="inbound_webhook"),
    path("sms/", views.blast_list_view, name="list"),
    path("sms/new/", views.blast_new_view, name="new"),
    path("sms/preview.json", views.compose_preview_view, name="preview"),
    path("sms/inbox/", views.inbox_view, name="inbox"),
    path("sms/opt-outs/", views.optout_import_view, name="optouts"),
    path("sms/<int:blast_id>/", views.blast_detail_view, name="detail"),
    path("sms/<int:blast_id>/edit/", views.blast_edit_view, name="edit"),
    path("sms/<int:blast_id>/progress.json", views.blast_progress_view, name="progress"),
    path("sms/<int:blast_id>/<str:action>/", views.blast_action_view, name="action"),
]
