"""Staff pages for a person's rights: export their data, record an objection, erase them."""

import csv
import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import get_in_scope_or_404
from campaign.permissions import crm_required
from contacts.exports import spreadsheet_safe
from contacts.selectors import contact_pages_for

from . import services
from .selectors import contact_personal_data, flatten


@crm_required
def contact_data_view(request: AuthenticatedHttpRequest, contact_id: int, fmt: str) -> HttpResponse:
    """Art. 15: everything held about the person, as JSON or CSV; the export is logged."""
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    data = contact_personal_data(contact)
    services.contact_access_record(contact=contact, actor=request.user, fmt=fmt)
    name = f"donnees-{contact.uuid}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(["field", "value"])
        writer.writerows((path, spreadsheet_safe(value)) for path, value in flatten(data))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# An objection withdraws every consent: only the person, agreeing again, brings one back.
ASK_OBJECT = Ask(
    title=gettext_lazy("Record an objection to any contact?"),
    text=gettext_lazy(
        "Every consent of this person is withdrawn (GDPR art. 21): no email, text, call or "
        "letter any more. Only the person, agreeing again, can give one back."
    ),
    button=gettext_lazy("Record an objection: no more contact"),
)


@require_POST
@crm_required
def contact_object_view(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    if not confirmed(request):
        return confirmation_page(
            request, ask=ASK_OBJECT, back_url=reverse("contacts:detail", args=[contact.pk])
        )
    services.contact_object(contact=contact, actor=request.user)
    messages.success(
        request, _("Objection recorded: no channel will be used for this person any more.")
    )
    return redirect("contacts:detail", contact_id=contact.pk)


@crm_required
def contact_erase_view(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """Art. 17, behind a confirmation page: it cannot be undone."""
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the erasure."))
        else:
            services.contact_erase(
                contact=contact, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("The person was erased. Their identifiers are on the suppression list.")
            )
            return redirect("contacts:list")
    return render(request, "contacts/erase.html", {"contact": contact})
