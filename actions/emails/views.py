"""The email pages: the embedded outbox (what would have been sent, with no provider set)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from campaign.pagination import page_number
from campaign.permissions import crm_required

from .outbox import outbox_message, outbox_page

# A message's HTML is shown as it arrives, in a frame that runs none of its scripts, submits
# no form, reaches nothing of the site's and loads only images (the browser sandboxes it on
# this header alone, whatever frames it).
OUTBOX_HTML_POLICY = "; ".join(
    [
        "sandbox",
        "default-src 'none'",
        "img-src data: https: http:",
        "style-src 'unsafe-inline'",
        "font-src data:",
        "frame-ancestors 'self'",
    ]
)


@crm_required
def outbox_list(request):
    page = outbox_page(number=page_number(request))
    return render(
        request,
        "emails/outbox.html",
        {"page": page, "outbox_keep_days": settings.OUTBOX_KEEP_DAYS},
    )


@crm_required
def outbox_detail(request, message_id: str):
    message = outbox_message(message_id=message_id)
    if message is None:
        raise Http404
    return render(request, "emails/outbox_message.html", {"message": message})


@crm_required
@xframe_options_sameorigin
def outbox_html(request, message_id: str):
    message = outbox_message(message_id=message_id)
    if message is None or message.html is None:
        raise Http404
    response = HttpResponse(message.html, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = OUTBOX_HTML_POLICY
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
