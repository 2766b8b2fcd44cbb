"""The API's entry point, and the page where people make and revoke their API tokens."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.http import AuthenticatedHttpRequest
from campaign.models import ApiToken, Delivery, Event, Webhook
from campaign.permissions import admin_required, crm_required
from campaign.webhooks.services import delivery_replay, webhook_create, webhook_set_active
from campaign.webhooks.targets import validate_webhook_url

from .osdi import CURIES, MAX_PAGESIZE, NAMESPACE, OSDI_VERSION, OsdiApiMixin, link
from .tokens import api_token_create, api_token_revoke


class EntryPointApi(OsdiApiMixin, APIView):
    """GET /api/v1/: what this server is and where its collections are (OSDI's entry point)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(
            {
                "motd": "Terrain: the people and actions of a campaign, in OSDI's shapes.",
                "vendor_name": "Terrain",
                "product_name": "Terrain",
                "osdi_version": OSDI_VERSION,
                "max_pagesize": MAX_PAGESIZE,
                "namespace": NAMESPACE,
                "_links": {
                    "curies": CURIES,
                    "self": link(request, reverse("api:entry_point")),
                    "osdi:people": link(request, reverse("api:people"))
                    | {"title": "The people you may see"},
                    "osdi:person_signup_helper": link(request, reverse("api:person_signup_helper"))
                    | {"title": "Add a person, or complete one already known"},
                    "osdi:tags": link(request, reverse("api:tags")) | {"title": "Tags"},
                    "osdi:lists": link(request, reverse("api:lists"))
                    | {"title": "Lists (segments)"},
                    "osdi:petitions": link(request, reverse("api:petitions"))
                    | {"title": "Petitions, with their signatures"},
                    "osdi:canvassing_efforts": link(request, reverse("api:canvassing_efforts"))
                    | {"title": "Door-to-door campaigns, with their canvasses"},
                    "osdi:messages": link(request, reverse("api:messages"))
                    | {"title": "Text blasts"},
                    "osdi:fundraising_pages": link(request, reverse("api:fundraising_pages"))
                    | {"title": "Fundraising pages, with their donations"},
                    "docs": link(request, reverse("api:docs")),
                },
            }
        )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What it is for, e.g. “Spoke” or “Zapier: new signers”."),
    )


@crm_required
def api_tokens_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My API tokens: make one (its key shown once), see when each was last used, revoke."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
        status=201 if new_key else 200,
    )


@require_POST
@crm_required
def api_token_revoke_view(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


# Outgoing webhooks (administrators: a webhook hears of every territory) ----------------------


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
    webhook = get_object_or_404(Webhook, pk=webhook_id)
    webhook_set_active(webhook=webhook, active=not webhook.is_active, actor=request.user)
    return redirect("api:webhooks")


@require_POST
@admin_required
def delivery_replay_view(request: AuthenticatedHttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    delivery_replay(delivery=delivery, actor=request.user)
    messages.success(request, _("Sent again."))
    return redirect("api:webhooks")
