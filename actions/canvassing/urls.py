from django.urls import path

from . import api, views

app_name = "canvassing"

urlpatterns = [
    path("canvass/", views.campaign_list_view, name="list"),
    path("canvass/new/", views.campaign_new_view, name="new"),
    path("canvass/<int:campaign_id>/", views.campaign_detail_view, name="detail"),
    path("canvass/<int:campaign_id>/edit/", views.campaign_edit_view, name="edit"),
    path("canvass/<int:campaign_id>/print/", views.print_view, name="print"),
    path("canvass/<int:campaign_id>/export.csv", views.export_view, name="export"),
    path("canvass/turfs/<int:turf_id>/", views.turf_detail_view, name="turf"),
    path("canvass/<int:campaign_id>/<str:action>/", views.campaign_action_view, name="action"),
    path("missions/sw.js", views.service_worker_view, name="service_worker"),
    path("missions/turfs/<int:turf_id>/", views.walk_view, name="walk"),
    path("missions/turfs/<int:turf_id>/doors/<int:door_id>/", views.door_view, name="door"),
    path(
        "missions/turfs/<int:turf_id>/not-home/",
        views.building_not_home_view,
        name="not_home",
    ),
    path("api/canvass/turfs/<int:turf_id>/walklist", api.WalkListApi.as_view(), name="api_walk"),
    path("api/canvass/turfs/<int:turf_id>/visits", api.VisitsSyncApi.as_view(), name="api_visits"),
]
