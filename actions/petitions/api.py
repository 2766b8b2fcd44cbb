"""Petitions and their signatures in the public API (OSDI), and the record_signature_helper a
partner's form may call without a token. Signing goes through petition_sign, as on the
petition's own page: the same queue, matching, consents and double opt-in."""

from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response

from campaign.api.osdi import CollectionApi, ItemApi, identifier, iso, link
from campaign.api.permissions import Public, StaffOnly
from campaign.counters import window_hit
from campaign.http import AuthenticatedRequest, client_ip
from campaign.ownership import get_in_scope_or_404, owned_visible_to
from contacts.api import PersonInput, signup_from
from contacts.scope import contacts_visible_to

from . import services
from .models import Petition, Signature

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Confirmed(TypedDict):
    confirmed: int  # the petition's confirmed signatures


def petitions_open(request: Request) -> QuerySet[Petition]:
    """Anyone (partners without a token too) sees the published petitions, as on the site;
    staff also the drafts they may open (campaign.ownership: an organizer's territories' and
    the whole campaign's). Another territory's draft is a 404."""
    mine = owned_visible_to(Petition.objects.all(), request.user).values("pk")
    return Petition.objects.filter(Q(pk__in=mine) | ~Q(status=Petition.Status.DRAFT))


def petitions_for(request: Request) -> "QuerySet[WithAnnotations[Petition, Confirmed]]":
    """The petitions the caller may see (petitions_open), with their confirmed signatures."""
    return (
        petitions_open(request)
        .annotate(confirmed=Count("signatures", filter=Q(signatures__confirmed_at__isnull=False)))
        .order_by("pk")
    )


def petition_shape(request: Request, petition: "WithAnnotations[Petition, Confirmed]") -> dict:
    path = reverse("api:petition", kwargs={"pk": petition.pk})
    signatures = reverse("api:petition_signatures", kwargs={"pk": petition.pk})
    return {
        "identifiers": [identifier(petition.pk)],
        "created_date": iso(petition.created_at),
        "modified_date": iso(petition.updated_at),
        "title": petition.title,
        "petition_text": petition.text,
        "target": [{"name": petition.target}] if petition.target else [],
        "total_signatures": petition.confirmed,
        "browser_url": request.build_absolute_uri(
            reverse("petitions:page", kwargs={"slug": petition.slug})
        ),
        "terrain:status": petition.status,
        "_links": {
            "self": link(request, path),
            "osdi:signatures": link(request, signatures),
            "osdi:record_signature_helper": link(request, signatures),
        },
    }


class PetitionsApi(CollectionApi):
    """GET /api/v1/petitions."""

    name = "petitions"
    permission_classes = [Public]  # published petitions, as on the site

    def rows(self, request: Request, **kwargs) -> "QuerySet[WithAnnotations[Petition, Confirmed]]":
        return petitions_for(request)

    def shape(self, request: Request, row: "WithAnnotations[Petition, Confirmed]") -> dict:
        return petition_shape(request, row)


class PetitionApi(ItemApi):
    """GET /api/v1/petitions/<id>."""

    permission_classes = [Public]  # published petitions, as on the site

    def rows(self, request: Request, **kwargs) -> "QuerySet[WithAnnotations[Petition, Confirmed]]":
        return petitions_for(request)

    def shape(self, request: Request, row: "WithAnnotations[Petition, Confirmed]") -> dict:
        return petition_shape(request, row)


class SignatureInput(serializers.Serializer):
    person = PersonInput()
    referrer_data = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False
    )

    def validate_person(self, person):
        if not person.get("email_addresses"):
            raise serializers.ValidationError("A signature needs the signer's email address.")
        return person


class SignaturesApi(CollectionApi):
    """GET /api/v1/petitions/<id>/signatures: the signatures of the people the token's user
    may see. POST (the record_signature_helper, with or without a token): sign, as on the
    petition's page; 202 either way: whether an email had signed already is that person's
    political opinion, said to nobody (the page answers the same)."""

    name = "signatures"

    def get_permissions(self):
        # Signing is the public act of the petition's page; who signed is for staff.
        return [Public()] if self.request.method == "POST" else [StaffOnly()]

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Signature]:
        petition = get_in_scope_or_404(petitions_for(request), pk=kwargs["pk"])
        return (
            Signature.objects.filter(
                petition=petition,
                confirmed_at__isnull=False,
                contact__in=contacts_visible_to(request.user),
            )
            .select_related("contact")
            .order_by("pk")
        )

    def shape(self, request: Request, row: Signature) -> dict:
        petition = reverse("api:petition", kwargs={"pk": row.petition_id})
        return {
            "identifiers": [identifier(row.pk)],
            "created_date": iso(row.signed_at),
            "modified_date": iso(row.confirmed_at),
            "referrer_data": {"source": row.utm_source, "website": row.referrer},
            "_links": {
                "self": link(request, petition + f"/signatures#{row.pk}"),
                "osdi:petition": link(request, petition),
                "osdi:person": link(
                    request, reverse("api:person", kwargs={"uuid": row.contact.uuid})
                ),
            },
        }

    @extend_schema(request=SignatureInput, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        petition = get_in_scope_or_404(petitions_for(request), pk=pk)
        if request.auth is None and window_hit(
            f"sign:{client_ip(request)}", limit=settings.PETITION_SIGNATURES_PER_IP_PER_MINUTE
        ):  # without a token, the petition page's limit per address (counted together)
            raise Throttled(wait=60, detail="Too many signatures from this address this minute.")
        body = SignatureInput(data=request.data)
        body.is_valid(raise_exception=True)
        signer = signup_from(body.validated_data)  # the OSDI person, read once for all
        referrer = body.validated_data.get("referrer_data") or {}
        services.petition_sign(
            petition=petition,
            data=services.SignatureInput(
                first_name=signer.person.first_name,
                last_name=signer.person.last_name,
                email=signer.person.email,
                postal_code=signer.person.postal_code,
                phone=signer.person.phone,
                consents={
                    "email": signer.email_status == "subscribed",
                    "sms": signer.sms_status == "subscribed",
                },
                utm_source=referrer.get("source", "api")[:100],
                referrer=referrer.get("website", "")[:500],
            ),
        )
        return Response(
            {
                "status": "received",
                "_links": {"osdi:petition": link(request, reverse("api:petition", args=[pk]))},
            },
            status=202,
        )


class PersonSignaturesApi(CollectionApi):
    """GET /api/v1/people/<uuid>/signatures: a person's confirmed signatures, on the
    petitions the caller may see, if the caller may see the person, in the shape of a
    petition's. Reading only: one signs at the petition's signatures."""

    name = "signatures"
    shape = SignaturesApi.shape

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Signature]:
        person = get_in_scope_or_404(
            contacts_visible_to(request.user), uuid=kwargs["uuid"], erased_at__isnull=True
        )
        return (
            Signature.objects.filter(
                contact=person, confirmed_at__isnull=False, petition__in=petitions_open(request)
            )
            .select_related("contact")
            .order_by("pk")
        )


class PetitionSignatureApi(ItemApi):
    """GET /api/v1/petitions/<id>/signatures/<signature's id>: one signature of a person the
    caller may see, as Action Network reads one."""

    lookup = "id"
    rows = SignaturesApi.rows
    shape = SignaturesApi.shape


class PersonSignatureApi(ItemApi):
    """GET /api/v1/people/<uuid>/signatures/<signature's id>: one of a person's signatures."""

    lookup = "id"
    rows = PersonSignaturesApi.rows
    shape = SignaturesApi.shape
