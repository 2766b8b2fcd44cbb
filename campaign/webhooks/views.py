"""The administrators' page of outgoing webhooks: register one, pause it, replay a delivery.
Administrators only: a webhook hears of every territory."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import get_in_scope_or_404
from campaign.permissions import admin_required

from .models import Delivery, Event, Webhook
from .services import delivery_replay, webhook_create, webhook_set_active
from .targets import validate_webhook_url


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Where to POST each event, e.g. https://hooks.example.org/terrain"),
        validators=[validate_webhook_url],  # public addresses only (SSRF)
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )


@admin_required
def webhooks_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register webhooks, see each one's secret, and the latest deliveries with their fate."""
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webhook = webhook_create(
            url=form.cleaned_data["url"], events=form.cleaned_data["events"], actor=request.user
        )
        messages.success(request, _("Webhook added: %(url)s") % {"url": webhook.url})
        return redirect("api:webhooks")
    return render(
        request,
        "api/webhooks.html",
        {
            "form": form,
            "webhooks": Webhook.objects.all(),
            "deliveries": Delivery.objects.select_related("webhook")[:50],
        },
    )


@require_POST
@admin_required
def webhook_toggle_view(request: AuthenticatedHttpRequest, webhook_id: int) -> HttpResponse:
    webhook = get_in_scope_or_404(Webhook.objects.all(), pk=webhook_id)
    webhook_set_active(webhook=webhook, active=not webhook.is_active, actor=request.user)
    return redirect("api:webhooks")


@require_POST
@admin_required
def delivery_replay_view(request: AuthenticatedHttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_in_scope_or_404(Delivery.objects.all(), pk=delivery_id)
    delivery_replay(delivery=delivery, actor=request.user)
    messages.success(request, _("Sent again."))
    return redirect("api:webhooks")
