"""Staff review of possible duplicates: merge a pair (keeping either side) or dismiss it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import get_in_scope_or_404
from campaign.pagination import page_number, page_of
from campaign.permissions import crm_required

from . import services
from .selectors import duplicates_to_review
from .tasks import duplicates_refresh_task


@crm_required
def duplicate_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(
        duplicates_to_review(user=request.user), number=page_number(request), per_page=25
    )
    return render(request, "contacts/duplicates.html", {"page": page, "ask_merge": ASK_MERGE})


# A merge removes one of the two records: it is not undone.
ASK_MERGE = Ask(
    title=gettext_lazy("Merge these two people, keeping this one?"),
    text=gettext_lazy(
        "The other record's emails, phones, tags, consents and actions move onto the one "
        "kept, and the other record is removed. This cannot be undone."
    ),
    button=gettext_lazy("Merge, keeping this one"),
)


@require_POST
@crm_required
def duplicate_merge_view(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = get_in_scope_or_404(duplicates_to_review(user=request.user), pk=candidate_id)
    if not confirmed(request):
        return confirmation_page(
            request, ask=ASK_MERGE, back_url=reverse("contacts:duplicates"), keep="keep"
        )
    a, b = candidate.contact_a, candidate.contact_b
    keep, drop = (b, a) if request.POST.get("keep") == "b" else (a, b)
    try:
        kept = services.contact_merge(keep=keep, drop=drop, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Merged into %(name)s.") % {"name": kept})
    return redirect("contacts:duplicates")


@require_POST
@crm_required
def duplicate_dismiss_view(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = get_in_scope_or_404(duplicates_to_review(user=request.user), pk=candidate_id)
    services.duplicate_dismiss(candidate=candidate, actor=request.user)
    messages.success(request, _("Noted: they are two different people."))
    return redirect("contacts:duplicates")


@require_POST
@crm_required
def duplicate_refresh_view(request: HttpRequest) -> HttpResponse:
    duplicates_refresh_task.delay()
    messages.success(request, _("Looking for duplicates: new pairs appear here in a moment."))
    return redirect("contacts:duplicates")
