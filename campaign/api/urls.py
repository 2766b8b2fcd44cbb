from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from actions.canvassing import api as canvassing
from actions.donations import api as donations
from actions.petitions import api as petitions
from actions.sms import api as sms
from campaign.webhooks import views as webhooks
from contacts import api as people

from . import token_views, views

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
    path(
        "v1/people/<uuid:uuid>/signatures",
        petitions.PersonSignaturesApi.as_view(),
        name="person_signatures",
    ),
    path(
        "v1/people/<uuid:uuid>/signatures/<int:id>",
        petitions.PersonSignatureApi.as_view(),
        name="person_signature",
    ),
    path(
        "v1/people/<uuid:uuid>/donations",
        donations.PersonDonationsApi.as_view(),
        name="person_donations",
    ),
    # After every fixed path under people/: another system's identifier, or terrain:<uuid>.
    path("v1/people/<str:key>", people.PersonByIdentifierApi.as_view(), name="person_by_key"),
    path("v1/metadata/custom_fields", people.CustomFieldsApi.as_view(), name="custom_fields"),
    path("v1/tags", people.TagsApi.as_view(), name="tags"),
    path("v1/tags/<int:pk>", people.TagApi.as_view(), name="tag"),
    path("v1/tags/<int:pk>/taggings", people.TaggingsApi.as_view(), name="taggings"),
    path("v1/tags/<int:pk>/taggings/<uuid:uuid>", people.TaggingApi.as_view(), name="tagging"),
    # The same tagging by its id, as its identifier gives it (terrain:<tag>-<person's uuid>).
    path(
        "v1/tags/<int:pk>/taggings/<int:tag_pk>-<uuid:uuid>",
        people.TaggingApi.as_view(),
        name="tagging_by_id",
    ),
    path(
        "v1/people/<uuid:uuid>/taggings",
        people.PersonTaggingsApi.as_view(),
        name="person_taggings",
    ),
    path("v1/lists", people.ListsApi.as_view(), name="lists"),
    path("v1/lists/<int:pk>", people.ListApi.as_view(), name="list"),
    path("v1/lists/<int:pk>/items", people.ListItemsApi.as_view(), name="list_items"),
    path(
        "v1/lists/<int:pk>/items/<int:list_pk>-<uuid:uuid>",
        people.ListItemApi.as_view(),
        name="list_item",
    ),
    path("v1/petitions", petitions.PetitionsApi.as_view(), name="petitions"),
    path("v1/petitions/<int:pk>", petitions.PetitionApi.as_view(), name="petition"),
    path(
        "v1/petitions/<int:pk>/signatures",
        petitions.SignaturesApi.as_view(),
        name="petition_signatures",
    ),
    path(
        "v1/petitions/<int:pk>/signatures/<int:id>",
        petitions.PetitionSignatureApi.as_view(),
        name="petition_signature",
    ),
    path(
        "v1/canvassing_efforts",
        canvassing.CanvassingEffortsApi.as_view(),
        name="canvassing_efforts",
    ),
    path(
        "v1/canvassing_efforts/<int:pk>",
        canvassing.CanvassingEffortApi.as_view(),
        name="canvassing_effort",
    ),
    path(
        "v1/canvassing_efforts/<int:pk>/canvasses",
        canvassing.CanvassesApi.as_view(),
        name="canvasses",
    ),
    path("v1/messages", sms.MessagesApi.as_view(), name="messages"),
    path("v1/messages/<int:pk>", sms.MessageApi.as_view(), name="message"),
    path("v1/fundraising_pages", donations.FundraisingPagesApi.as_view(), name="fundraising_pages"),
    path(
        "v1/fundraising_pages/<int:pk>",
        donations.FundraisingPageApi.as_view(),
        name="fundraising_page",
    ),
    path(
        "v1/fundraising_pages/<int:pk>/donations",
        donations.DonationsApi.as_view(),
        name="donations",
    ),
    path("v1/donations", donations.AllDonationsApi.as_view(), name="all_donations"),
    path("v1/donations/<int:pk>", donations.DonationApi.as_view(), name="donation"),
    path("v1/metadata", people.MetadataApi.as_view(), name="metadata"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # The staff's pages of the API: their tokens, and (administrators) the webhooks.
    path("tokens/", token_views.api_tokens_view, name="tokens"),
    path("webhooks/", webhooks.webhooks_view, name="webhooks"),
    path("webhooks/<int:webhook_id>/toggle", webhooks.webhook_toggle_view, name="webhook_toggle"),
    path(
        "webhooks/deliveries/<int:delivery_id>/replay",
        webhooks.delivery_replay_view,
        name="delivery_replay",
    ),
    path("tokens/<int:token_id>/revoke", token_views.api_token_revoke_view, name="token_revoke"),
]
