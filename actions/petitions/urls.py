from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    # Public: short addresses to share.
    path("p/csrf.json", views.csrf_token_view, name="csrf"),
    path("p/<slug:slug>/", views.petition_page_view, name="page"),
    path("p/<slug:slug>/embed/", views.petition_embed_view, name="embed"),
    path("p/<slug:slug>/merci/", views.petition_thanks_view, name="thanks"),
    path("p/<slug:slug>/count.json", views.petition_count_view, name="count"),
    path("p/<slug:slug>/confirmer/<str:token>/", views.petition_confirm_view, name="confirm"),
    # Organizers.
    path("petitions/", views.petition_list_view, name="staff_list"),
    path("petitions/new/", views.petition_new_view, name="staff_new"),
    path("petitions/<int:petition_id>/", views.petition_detail_view, name="staff_detail"),
    path("petitions/<int:petition_id>/edit/", views.petition_edit_view, name="staff_edit"),
    path("petitions/<int:petition_id>/status/", views.petition_status_view, name="staff_status"),
    path(
        "petitions/<int:petition_id>/signatures.csv",
        views.petition_export_view,
        name="staff_export",
    ),
]
