"""Text blasts in the public API (OSDI messages): what was sent, to how many, with what
outcome. Read only: a blast is composed and checked on its page, where the cost shows."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from campaign.api.osdi import CollectionApi, ItemApi, identifier, iso, link
from campaign.http import AuthenticatedRequest

from .models import Blast, Message
from .selectors import blasts_for_staff

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Counted(TypedDict):
    n_sent: int  # the blast's messages sent, not yet reported delivered
    n_delivered: int
    n_failed: int


def blasts_for(request: AuthenticatedRequest) -> "QuerySet[WithAnnotations[Blast, Counted]]":
    if not request.user.can_use_crm:
        raise PermissionDenied("Texts are for staff.")
    # An organizer's territories' blasts only (actions.sms.selectors): another's is a 404.
    return (
        blasts_for_staff(request.user)
        .annotate(
            n_sent=Count("messages", filter=Q(messages__status=Message.Status.SENT)),
            n_delivered=Count("messages", filter=Q(messages__status=Message.Status.DELIVERED)),
            n_failed=Count("messages", filter=Q(messages__status=Message.Status.FAILED)),
        )
        .order_by("pk")
    )


def message_shape(request: Request, blast: "WithAnnotations[Blast, Counted]") -> dict:
    return {
        "identifiers": [identifier(blast.pk)],
        "created_date": iso(blast.created_at),
        "name": blast.name,
        "type": "sms",
        "message": blast.body,
        "status": blast.status,
        "sent_start_date": iso(blast.started_at),
        "total_targeted": blast.recipients,
        "statistics": {
            "sent": blast.n_sent + blast.n_delivered,
            "delivered": blast.n_delivered,
            "failed": blast.n_failed,
        },
        "_links": {"self": link(request, reverse("api:message", kwargs={"pk": blast.pk}))},
    }


class MessagesApi(CollectionApi):
    """GET /api/v1/messages: the text blasts."""

    name = "messages"

    def rows(
        self, request: AuthenticatedRequest, **kwargs
    ) -> "QuerySet[WithAnnotations[Blast, Counted]]":
        return blasts_for(request)

    def shape(self, request: Request, row: "WithAnnotations[Blast, Counted]") -> dict:
        return message_shape(request, row)


class MessageApi(ItemApi):
    """GET /api/v1/messages/<id>."""

    def rows(
        self, request: AuthenticatedRequest, **kwargs
    ) -> "QuerySet[WithAnnotations[Blast, Counted]]":
        return blasts_for(request)

    def shape(self, request: Request, row: "WithAnnotations[Blast, Counted]") -> dict:
        return message_shape(request, row)
