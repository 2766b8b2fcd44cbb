"""Twilio's callbacks: delivery reports (its "status callbacks") and replies (its "incoming
message webhooks"). Each request must carry Twilio's signature (X-Twilio-Signature) over our
public URL and its parameters, else 403."""

import logging
from functools import wraps
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from .services.inbound import inbound_receive
from .services.status import message_status_update

logger = logging.getLogger(__name__)


def _signed_by_twilio(request: HttpRequest) -> bool:
    if not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature)


def twilio_signed(view):
    """Only requests Twilio signed reach the view; others get a 403 and a log line."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        if not _signed_by_twilio(request):
            logger.warning(
                "Twilio callback %s with a bad signature from %s",
                request.path,
                request.META.get("REMOTE_ADDR"),
            )
            return HttpResponseForbidden()
        return view(request)

    wrapper.access_rule = "signed"  # Twilio's signature, checked above
    return wrapper


def _twiml(reply: str = "") -> HttpResponse:
    message = f"<Message>{escape(reply)}</Message>" if reply else ""
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{message}</Response>',
        content_type="text/xml",
    )


@twilio_signed
def status_callback(request: HttpRequest) -> HttpResponse:
    message_status_update(
        sid=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    # 200 with an empty body: Twilio takes 204 too, but logs and other providers expect 200.
    return HttpResponse(b"", status=200, content_type="text/plain")


@twilio_signed
def inbound_callback(request: HttpRequest) -> HttpResponse:
    _inbound, reply = inbound_receive(
        sid=request.POST.get("MessageSid", ""),
        from_number=request.POST.get("From", ""),
        to_number=request.POST.get("To", ""),
        body=request.POST.get("Body", ""),
    )
    return _twiml(reply)
