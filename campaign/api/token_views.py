"""The page where staff make and revoke their API tokens (the API's keys: .tokens)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.http import AuthenticatedHttpRequest
from campaign.models import ApiToken
from campaign.ownership import get_in_scope_or_404
from campaign.permissions import crm_required

from .tokens import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What it is for, e.g. “Spoke” or “Zapier: new signers”."),
    )


# A revoked token stops every tool that uses it at once, and cannot be restored.
ASK_REVOKE = Ask(
    title=gettext_lazy("Revoke this token?"),
    text=gettext_lazy(
        "Every tool that uses it is refused from now on. A revoked token cannot be "
        "restored: make a new one if a tool still needs the API."
    ),
    button=gettext_lazy("Revoke"),
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
        {"form": form, "tokens": tokens, "new_key": new_key, "ask_revoke": ASK_REVOKE},
        status=201 if new_key else 200,
    )


@require_POST
@crm_required
def api_token_revoke_view(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    # One's own tokens only: another's is not even said to exist.
    token = get_in_scope_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    if not confirmed(request):
        return confirmation_page(request, ask=ASK_REVOKE, back_url=reverse("api:tokens"))
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
