"""The API's entry point. (The tokens page is in .token_views, the webhooks page in
campaign.webhooks.views.)"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .osdi import CURIES, MAX_PAGESIZE, NAMESPACE, OSDI_VERSION, OsdiApiMixin, link


class EntryPointApi(OsdiApiMixin, APIView):
    """GET /api/v1/: what this server is and where its collections are (OSDI's entry point)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(
            {
                "motd": "Terrain: the people and actions of a campaign, in OSDI's shapes.",
                "vendor_name": "Terrain",
                "product_name": "Terrain",
                "osdi_version": OSDI_VERSION,
                "max_pagesize": MAX_PAGESIZE,
                "namespace": NAMESPACE,
                "_links": {
                    "curies": CURIES,
                    "self": link(request, reverse("api:entry_point")),
                    "osdi:people": link(request, reverse("api:people"))
                    | {"title": "The people you may see"},
                    "osdi:person_signup_helper": link(request, reverse("api:person_signup_helper"))
                    | {"title": "Add a person, or complete one already known"},
                    "osdi:tags": link(request, reverse("api:tags")) | {"title": "Tags"},
                    "osdi:lists": link(request, reverse("api:lists"))
                    | {"title": "Lists (segments)"},
                    "osdi:petitions": link(request, reverse("api:petitions"))
                    | {"title": "Petitions, with their signatures"},
                    "osdi:canvassing_efforts": link(request, reverse("api:canvassing_efforts"))
                    | {"title": "Door-to-door campaigns, with their canvasses"},
                    "osdi:messages": link(request, reverse("api:messages"))
                    | {"title": "Text blasts"},
                    "osdi:fundraising_pages": link(request, reverse("api:fundraising_pages"))
                    | {"title": "Fundraising pages, with their donations"},
                    "docs": link(request, reverse("api:docs")),
                },
            }
        )
