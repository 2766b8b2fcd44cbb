"""Text blasts in the public API (OSDI messages): what was sent, to how many, with what
outcome. Read only: a blast is composed and checked on its page, where the cost shows."""

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from campaign.api.osdi import CollectionApi, ItemApi, identifier, iso, link
from campaign.http import AuthenticatedRequest

from .models import Blast, Message
from .selectors import blasts_for_staff


def blasts_for(request: AuthenticatedRequest) -> QuerySet[Blast]:
    if not request.user.can_use_crm:
        raise PermissionDenied("Texts are for staff.")
    counted = {
        status: Count("messages", filter=Q(messages__status=status))
        for status in (Message.Status.SENT, Message.Status.DELIVERED, Message.Status.FAILED)
    }
    # An organizer's territories' blasts only (actions.sms.selectors): another's is a 404.
    return (
        blasts_for_staff(request.user)
        .annotate(**{f"n_{status}": count for status, count in counted.items()})
        .order_by("pk")
    )


def message_shape(request: Request, blast: Blast) -> dict:
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

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Blast]:
        return blasts_for(request)

    def shape(self, request: Request, row: Blast) -> dict:
        return message_shape(request, row)


class MessageApi(ItemApi):
    """GET /api/v1/messages/<id>."""

    def rows(self, request: AuthenticatedRequest, **kwargs) -> QuerySet[Blast]:
        return blasts_for(request)

    def shape(self, request: Request, row: Blast) -> dict:
        return message_shape(request, row)
