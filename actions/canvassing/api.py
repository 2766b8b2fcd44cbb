"""The volunteer app's API: the walk list to keep offline, and a batch of queued visits to
sync. Thin: validation of the shape here, the rules in services."""

import uuid
from dataclasses import asdict
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.api.osdi import CollectionApi, ItemApi, identifier, iso, link
from campaign.api.permissions import OnMission
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedRequest
from campaign.models import User
from campaign.ownership import get_in_scope_or_404
from contacts.api import person_from
from contacts.scope import contacts_visible_to
from contacts.services import opinion_view_record

from . import selectors, services
from .models import CanvassCampaign, Resident, Turf, Visit

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MAX_BATCH = 2000


class VisitSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    door = serializers.IntegerField()
    contact = serializers.IntegerField(required=False, allow_null=True)
    result = serializers.CharField(max_length=30)
    support_level = serializers.IntegerField(required=False, allow_null=True)
    wants_to_volunteer = serializers.BooleanField(required=False, default=False)
    wants_to_give = serializers.BooleanField(required=False, default=False)
    answers = serializers.DictField(required=False, default=dict)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    visited_at = serializers.DateTimeField()


def _turf(request: AuthenticatedRequest, turf_id: int) -> Turf:
    turf = selectors.walkable_turf(request.user, turf_id)
    if turf is None:
        raise Http404  # another turf's doors are not even said to exist
    return turf


def walk_payload(turf: Turf, *, viewer: User) -> dict:
    """The walk list as the phone keeps it, naming only the people `viewer` may see."""
    campaign = turf.campaign
    streets = selectors.walk_list(turf, viewer=viewer)
    return {
        "turf": {"id": turf.pk, "name": turf.name, "campaign": campaign.name},
        "progress": selectors.walk_progress(streets),
        "active": campaign.status == campaign.Status.ACTIVE,
        "codes": [
            {"code": c["code"], "label": c["label"], "talked": bool(c.get("talked"))}
            for c in campaign.result_codes
        ],
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "choices": q.choice_list}
            for q in campaign.questions.all()
        ],
        "streets": [asdict(s) for s in streets],
        "points": selectors.walk_points(streets),
    }


@method_decorator(gzip_page, name="get")
class WalkListApi(APIView):
    access_rule = "api"  # logged in (DRF: 403 otherwise); its turf's volunteers and staff
    permission_classes = [OnMission]  # a volunteer's mission: the view opens their turf only

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: AuthenticatedRequest, turf_id: int) -> Response:
        return Response(walk_payload(_turf(request, turf_id), viewer=request.user))


class VisitsSyncApi(APIView):
    """POST {"visits": [...]}: each visit recorded once, by the id the phone gave it."""

    access_rule = "api"  # logged in (DRF: 403 otherwise); its turf's volunteers and staff
    permission_classes = [OnMission]  # a volunteer's mission: the view opens their turf only

    @extend_schema(
        request=inline_serializer("VisitBatch", {"visits": VisitSerializer(many=True)}),
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request: AuthenticatedRequest, turf_id: int) -> Response:
        turf = _turf(request, turf_id)
        items = request.data.get("visits") if isinstance(request.data, dict) else None
        if not isinstance(items, list) or len(items) > MAX_BATCH:
            return Response(
                {"error": f"expected {{'visits': [...]}} with at most {MAX_BATCH} items"},
                status=400,
            )
        visits, rejected = [], []
        for item in items:
            serializer = VisitSerializer(data=item)
            if not serializer.is_valid():
                given = item.get("id") if isinstance(item, dict) else None
                rejected.append({"id": str(given), "reason": _errors(serializer.errors)})
                continue
            data = serializer.validated_data
            visits.append(
                services.VisitInput(
                    id=data["id"],
                    door_id=data["door"],
                    contact_id=data.get("contact"),
                    result=data["result"],
                    support_level=data.get("support_level"),
                    wants_to_volunteer=data["wants_to_volunteer"],
                    wants_to_give=data["wants_to_give"],
                    answers=data["answers"],
                    note=data["note"],
                    visited_at=data["visited_at"],
                )
            )
        try:
            report = services.visits_record(actor=request.user, turf=turf, visits=visits)
        except ApplicationError as error:
            return Response({"error": error.message}, status=409)
        report.rejected += rejected
        return Response(asdict(report))


def _errors(errors: dict) -> str:
    return "; ".join(f"{name}: {' '.join(map(str, problems))}" for name, problems in errors.items())


# The public API (OSDI): canvassing efforts, their canvasses, the record_canvass_helper -------


class Canvasses(TypedDict):
    canvasses: int  # the campaign's visits


def efforts(
    request: AuthenticatedRequest,
) -> "QuerySet[WithAnnotations[CanvassCampaign, Canvasses]]":
    """The campaigns the caller may open (an organizer's territories' and the whole
    campaign's); another territory's is a 404."""
    return (
        selectors.campaigns_for_staff(request.user)
        .annotate(canvasses=Count("visits"))
        .order_by("pk")
    )


def effort_shape(request: Request, effort: "WithAnnotations[CanvassCampaign, Canvasses]") -> dict:
    canvasses = reverse("api:canvasses", kwargs={"pk": effort.pk})
    return {
        "identifiers": [identifier(effort.pk)],
        "created_date": iso(effort.created_at),
        "title": effort.name,
        "start_date": effort.starts_on.isoformat(),
        "end_date": effort.ends_on.isoformat(),
        "total_canvasses": effort.canvasses,
        "terrain:status": effort.status,
        "terrain:result_codes": [
            {"code": c["code"], "label": c["label"], "success": bool(c.get("talked"))}
            for c in effort.result_codes
        ],
        "_links": {
            "self": link(request, reverse("api:canvassing_effort", kwargs={"pk": effort.pk})),
            "osdi:canvasses": link(request, canvasses),
            "osdi:record_canvass_helper": link(request, canvasses),
        },
    }


class CanvassingEffortsApi(CollectionApi):
    """GET /api/v1/canvassing_efforts: the door-to-door campaigns."""

    name = "canvassing_efforts"

    def rows(
        self, request: AuthenticatedRequest, **kwargs
    ) -> "QuerySet[WithAnnotations[CanvassCampaign, Canvasses]]":
        return efforts(request)

    def shape(self, request: Request, row: "WithAnnotations[CanvassCampaign, Canvasses]") -> dict:
        return effort_shape(request, row)


class CanvassingEffortApi(ItemApi):
    """GET /api/v1/canvassing_efforts/<id>."""

    def rows(
        self, request: AuthenticatedRequest, **kwargs
    ) -> "QuerySet[WithAnnotations[CanvassCampaign, Canvasses]]":
        return efforts(request)

    def shape(self, request: Request, row: "WithAnnotations[CanvassCampaign, Canvasses]") -> dict:
        return effort_shape(request, row)


class CanvassInput(serializers.Serializer):
    person = serializers.CharField(
        max_length=300, help_text="The person's link (its href) or identifier (terrain:<uuid>)."
    )
    status_code = serializers.CharField(max_length=30)
    action_date = serializers.DateTimeField(required=False)
    support_level = serializers.IntegerField(required=False, min_value=1, max_value=5)
    wants_to_volunteer = serializers.BooleanField(required=False, default=False)
    wants_to_give = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CanvassesApi(CollectionApi):
    """GET /api/v1/canvassing_efforts/<id>/canvasses: the doors' results for people the
    caller may see. POST (the record_canvass_helper): a result at a person's door, recorded
    as a phone's sync records it (the person must be on the campaign's walk lists)."""

    name = "canvasses"

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Visit]:
        effort = get_in_scope_or_404(efforts(request), pk=kwargs["pk"])
        return (
            Visit.objects.filter(campaign=effort, contact__in=contacts_visible_to(request.user))
            .select_related("contact")
            .order_by("visited_at", "pk")
        )

    def shown(self, request: AuthenticatedRequest, count: int) -> None:
        """Support levels are political opinions: each page read is audited."""
        opinion_view_record(actor=request.user, what="API: canvasses", rows=count)

    def shape(self, request: Request, row: Visit) -> dict:
        effort = reverse("api:canvassing_effort", kwargs={"pk": row.campaign_id})
        if row.contact is None:  # rows() keeps the visits to people the caller may see
            raise ValueError(f"Visit {row.pk} has no contact")
        return {
            "identifiers": [identifier(row.pk)],
            "action_date": iso(row.visited_at),
            "contact_type": "in-person",
            "status_code": row.result,
            "terrain:support_level": row.support_level,
            "terrain:wants_to_volunteer": row.wants_to_volunteer,
            "terrain:wants_to_give": row.wants_to_give,
            "_links": {
                "self": link(request, reverse("api:canvasses", kwargs=self.kwargs) + f"#{row.pk}"),
                "osdi:canvassing_effort": link(request, effort),
                "osdi:person": link(
                    request, reverse("api:person", kwargs={"uuid": row.contact.uuid})
                ),
            },
        }

    @extend_schema(request=CanvassInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        effort = get_in_scope_or_404(efforts(request), pk=pk)
        body = CanvassInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contact = person_from(request, data["person"])
        resident = Resident.objects.filter(campaign=effort, contact=contact).first()
        if resident is None:
            raise ApplicationError(_("This person is on none of this campaign's walk lists."))
        visit = services.VisitInput(
            id=uuid.uuid4(),
            door_id=resident.door_id,
            contact_id=contact.pk,
            result=data["status_code"],
            visited_at=data.get("action_date") or timezone.now(),
            support_level=data.get("support_level"),
            wants_to_volunteer=data["wants_to_volunteer"],
            wants_to_give=data["wants_to_give"],
            note=data["note"],
        )
        report = services.visits_record(actor=request.user, turf=resident.turf, visits=[visit])
        if report.rejected:
            raise ApplicationError(report.rejected[0]["reason"])
        row = Visit.objects.select_related("contact").get(pk=visit.id)
        return Response(self.shape(request, row), status=201)
