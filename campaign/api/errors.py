"""A broken domain rule (ApplicationError) answers 400 with its message, like the forms do."""

from rest_framework.response import Response
from rest_framework.views import exception_handler

from campaign.exceptions import ApplicationError


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=400)
    return exception_handler(exc, context)
