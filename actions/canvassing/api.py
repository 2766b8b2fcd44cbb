"""The volunteer app's API: the walk list to keep offline, and a batch of queued visits to
sync. Thin: validation of the shape here, the rules in services."""

from dataclasses import asdict

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.gzip import gzip_page
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.exceptions import ApplicationError

from . import selectors, services
from .models import Turf

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


def _turf(request: Request, turf_id: int) -> Turf:
    turf = selectors.walkable_turf(request.user, turf_id)
    if turf is None:
        raise Http404  # another turf's doors are not even said to exist
    return turf


def walk_payload(turf: Turf) -> dict:
    campaign = turf.campaign
    return {
        "turf": {"id": turf.pk, "name": turf.name, "campaign": campaign.name},
        "active": campaign.status == campaign.Status.ACTIVE,
        "codes": [
            {"code": c["code"], "label": c["label"], "talked": bool(c.get("talked"))}
            for c in campaign.result_codes
        ],
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "choices": q.choice_list}
            for q in campaign.questions.all()
        ],
        "streets": [asdict(s) for s in selectors.walk_list(turf)],
    }


@method_decorator(gzip_page, name="get")
class WalkListApi(APIView):
    def get(self, request: Request, turf_id: int) -> Response:
        return Response(walk_payload(_turf(request, turf_id)))


class VisitsSyncApi(APIView):
    """POST {"visits": [...]}: each visit recorded once, by the id the phone gave it."""

    def post(self, request: Request, turf_id: int) -> Response:
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
