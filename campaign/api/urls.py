from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from contacts import api as people

from . import views

app_name = "api"

urlpatterns = [
    path("v1/", views.EntryPointApi.as_view(), name="entry_point"),
    path("v1/people", people.PeopleApi.as_view(), name="people"),
    path("v1/people/<uuid:uuid>", people.PersonApi.as_view(), name="person"),
    path(
        "v1/people/person_signup_helper",
        people.PersonSignupHelperApi.as_view(),
        name="person_signup_helper",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", views.api_tokens_view, name="tokens"),
    path("tokens/<int:token_id>/revoke", views.api_token_revoke_view, name="token_revoke"),
]
