from django.urls import path

from . import callbacks, views
from .p2p import views as p2p

app_name = "sms"

urlpatterns = [
    # Twilio's callbacks: the paths stay, the deployed numbers are configured with them.
    path("webhooks/twilio/status", callbacks.status_callback, name="status_callback"),
    path("webhooks/twilio/inbound", callbacks.inbound_callback, name="inbound_callback"),
    path("sms/", views.blast_list_view, name="list"),
    path("sms/new/", views.blast_new_view, name="new"),
    path("sms/preview.json", views.compose_preview_view, name="preview"),
    path("sms/inbox/", views.inbox_view, name="inbox"),
    path("sms/opt-outs/", views.optout_import_view, name="optouts"),
    path("sms/p2p/", p2p.p2p_list_view, name="p2p_list"),
    path("sms/p2p/new/", p2p.p2p_new_view, name="p2p_new"),
    path("sms/p2p/inbox/", p2p.p2p_inbox_view, name="p2p_inbox"),
    path("sms/p2p/<int:campaign_id>/", p2p.p2p_detail_view, name="p2p_detail"),
    path("sms/p2p/<int:campaign_id>/edit/", p2p.p2p_edit_view, name="p2p_edit"),
    path("sms/p2p/<int:campaign_id>/<str:action>/", p2p.p2p_action_view, name="p2p_action"),
    path("missions/texts/<int:campaign_id>/", p2p.mission_view, name="mission"),
    path("missions/texts/<int:campaign_id>/send/", p2p.mission_send_view, name="mission_send"),
    path("missions/texts/<int:campaign_id>/more/", p2p.mission_more_view, name="mission_more"),
    path(
        "missions/texts/conversation/<int:conversation_id>/",
        p2p.conversation_view,
        name="conversation",
    ),
    path("sms/<int:blast_id>/", views.blast_detail_view, name="detail"),
    path("sms/<int:blast_id>/edit/", views.blast_edit_view, name="edit"),
    path("sms/<int:blast_id>/progress.json", views.blast_progress_view, name="progress"),
    path("sms/<int:blast_id>/<str:action>/", views.blast_action_view, name="action"),
]
