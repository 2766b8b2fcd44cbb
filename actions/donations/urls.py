from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("donations/", views.donation_list_view, name="list"),
    path("donations/new/", views.donation_new_view, name="new"),
    path("donations/import/", views.provider_import_view, name="import"),
    path("donations/pages/", views.drive_list_view, name="drives"),
    path("donations/pages/new/", views.drive_new_view, name="drive_new"),
    path("donations/pages/<int:drive_id>/edit/", views.drive_edit_view, name="drive_edit"),
    path("donations/donors.csv", views.donor_list_view, name="donor_list"),
    path("donations/receipts/<int:receipt_id>.pdf", views.receipt_pdf_view, name="receipt"),
    path("donations/<int:donation_id>/<str:action>/", views.donation_action_view, name="action"),
    path("don/fake-card/<uuid:checkout>/", views.fake_card_view, name="fake_card"),
    path("don/stop/<str:token>/", views.monthly_stop_view, name="stop"),
    path("don/<slug:slug>/", views.drive_page_view, name="page"),
    path("don/<slug:slug>/merci/<uuid:checkout>/", views.thanks_view, name="thanks"),
]
