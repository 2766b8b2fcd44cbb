from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .accounts import views as account_views

# Logging in and out stay open to a session that has not passed the second factor yet.
login_view = account_views.second_factor_exempt(
    auth_views.LoginView.as_view(redirect_authenticated_user=True)
)
logout_view = account_views.second_factor_exempt(auth_views.LogoutView.as_view())

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("contacts/", include("contacts.urls")),
    path("funnel/", include("contacts.funnel.urls")),
    path("api/", include("campaign.api.urls")),
    path("", include("actions.petitions.urls")),
    path("", include("actions.sms.urls")),
    path("", include("actions.emails.urls")),
    path("", include("actions.canvassing.urls")),
    path("", include("actions.donations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/<str:lang>.js", views.javascript_catalog, name="javascript_catalog"),
    path("accounts/login/", login_view, name="login"),
    path("accounts/logout/", logout_view, name="logout"),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/two-factor/", account_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", account_views.setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        account_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "campaign.views.error_404"
handler403 = "campaign.views.error_403"
handler500 = "campaign.views.error_500"
