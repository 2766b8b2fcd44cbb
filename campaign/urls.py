from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("contacts/", include("contacts.urls")),
    path("funnel/", include("contacts.funnel.urls")),
    path("api/", include("campaign.api.urls")),
    path("", include("actions.petitions.urls")),
    path("", include("actions.sms.urls")),
    path("", include("actions.canvassing.urls")),
    path("", include("actions.donations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "campaign.views.error_404"
handler403 = "campaign.views.error_403"
handler500 = "campaign.views.error_500"
