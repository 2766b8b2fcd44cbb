"""The unsubscribe link of every blast: a page that confirms in one click, and the same URL
taking mail apps' one-click POST (RFC 8058) without login, cookie or page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import services
from .unsubscribe import message_for_token


def _masked(address: str) -> str:
    """lea.garnier@example.fr → l…r@example.fr: enough to recognize one's own address."""
    local, _at, domain = address.partition("@")
    if not domain:
        return ""
    return f"{local[0]}…{local[-1]}@{domain}" if len(local) > 2 else f"{local[:1]}…@{domain}"


def token_signed(view):
    """Anyone holding a link this site signed: said out loud, for the access inventory (a
    link whose signature does not hold gets a 403, as a provider's unsigned webhook does)."""
    view.access_rule = "signed"
    return view


@token_signed
@never_cache
@csrf_exempt  # a mail app's one-click POST has no cookie; the signed token is the authority
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    message = message_for_token(token)
    if message is None:
        return render(request, "emails/unsubscribe.html", {"invalid": True}, status=403)
    if request.method == "POST":
        services.email_unsubscribe(message=message)
        return render(request, "emails/unsubscribe.html", {"done": True, "message": message})
    return render(
        request,
        "emails/unsubscribe.html",
        {
            "message": message,
            "done": message.unsubscribed_at is not None,
            "to": _masked(message.to),
        },
    )
