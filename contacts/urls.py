from django.urls import path

from . import confirm, views
from .dedupe import views as dedupe_views
from .imports import views as import_views
from .privacy import views as privacy_views
from .segments import views as segment_views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list_view, name="list"),
    # Public: the emailed link that gives a withdrawn consent again (contacts.confirm).
    path("confirmer/<str:token>/", confirm.consent_confirm_view, name="consent_confirm"),
    path("export.csv", views.contact_export_view, name="export"),
    path("new/", views.contact_create_view, name="create"),
    path("segments/", segment_views.segment_list_view, name="segments"),
    path("segments/new/", segment_views.segment_new_view, name="segment_new"),
    path(
        "segments/count.json",
        segment_views.segment_preview_count_view,
        name="segment_preview_count",
    ),
    path("segments/<int:segment_id>/", segment_views.segment_detail_view, name="segment_detail"),
    path("segments/<int:segment_id>/edit/", segment_views.segment_edit_view, name="segment_edit"),
    path(
        "segments/<int:segment_id>/freeze/",
        segment_views.segment_freeze_view,
        name="segment_freeze",
    ),
    path(
        "segments/<int:segment_id>/delete/",
        segment_views.segment_delete_view,
        name="segment_delete",
    ),
    path(
        "segments/<int:segment_id>/export.csv",
        segment_views.segment_export_view,
        {"fmt": "csv"},
        name="segment_export_csv",
    ),
    path(
        "segments/<int:segment_id>/export.xlsx",
        segment_views.segment_export_view,
        {"fmt": "xlsx"},
        name="segment_export_xlsx",
    ),
    path(
        "segments/<int:segment_id>/export-action-network.csv",
        segment_views.segment_export_view,
        {"fmt": "action_network"},
        name="segment_export_action_network",
    ),
    path(
        "segments/<int:segment_id>/export-nationbuilder.csv",
        segment_views.segment_export_view,
        {"fmt": "nationbuilder"},
        name="segment_export_nationbuilder",
    ),
    path("duplicates/", dedupe_views.duplicate_list_view, name="duplicates"),
    path("duplicates/refresh/", dedupe_views.duplicate_refresh_view, name="duplicates_refresh"),
    path(
        "duplicates/<int:candidate_id>/merge/",
        dedupe_views.duplicate_merge_view,
        name="duplicate_merge",
    ),
    path(
        "duplicates/<int:candidate_id>/dismiss/",
        dedupe_views.duplicate_dismiss_view,
        name="duplicate_dismiss",
    ),
    path("imports/", import_views.import_list_view, name="imports"),
    path("imports/new/", import_views.import_new_view, name="import_new"),
    path("imports/<int:job_id>/", import_views.import_detail_view, name="import_detail"),
    path(
        "imports/<int:job_id>/progress.json",
        import_views.import_progress_view,
        name="import_progress",
    ),
    path(
        "imports/<int:job_id>/rejected.csv",
        import_views.import_rejected_view,
        name="import_rejected",
    ),
    path("<int:contact_id>/", views.contact_detail_view, name="detail"),
    path("<int:contact_id>/edit/", views.contact_edit_view, name="edit"),
    path("<int:contact_id>/consent/", views.contact_consent_view, name="consent"),
    path("<int:contact_id>/note/", views.contact_note_view, name="note"),
    path("<int:contact_id>/tags/", views.contact_tags_view, name="tags"),
    path(
        "<int:contact_id>/data.json",
        privacy_views.contact_data_view,
        {"fmt": "json"},
        name="data_json",
    ),
    path(
        "<int:contact_id>/data.csv",
        privacy_views.contact_data_view,
        {"fmt": "csv"},
        name="data_csv",
    ),
    path("<int:contact_id>/object/", privacy_views.contact_object_view, name="object"),
    path("<int:contact_id>/erase/", privacy_views.contact_erase_view, name="erase"),
]
