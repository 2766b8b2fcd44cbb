"""Staff pages for donations: the list with its totals, and a gift recorded by hand."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.pagination import page_number, page_of
from campaign.permissions import crm_required
from contacts.scope import contacts_visible_to

from . import selectors, services
from .forms import DonationForm
from .rules import euros


@crm_required
def donation_list_view(request: HttpRequest) -> HttpResponse:
    donations = selectors.donations_for_staff(request.user)
    figures = selectors.donation_figures(donations)
    summary = {
        "count": figures["count"],
        "total": euros(figures["total"]),
        "average": euros(figures["average"]) if figures["count"] else "—",
        "median": euros(figures["median"]) if figures["count"] else "—",
    }
    page = page_of(donations, number=page_number(request))
    return render(request, "donations/list.html", {"page": page, "summary": summary})


@crm_required
def donation_new_view(request: HttpRequest) -> HttpResponse:
    contact = contacts_visible_to(request.user).filter(pk=request.GET.get("contact") or 0).first()
    if contact is None:
        raise Http404
    form = DonationForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.donation_record(
                entity=data["entity"],
                contact=contact,
                amount_cents=services.cents(data["amount"]),
                method=data["method"],
                kind=data["kind"],
                received_on=data["received_on"],
                natural_person=data["natural_person"],
                french_or_resident=data["french_or_resident"],
                online=False,
                actor=request.user,
                note=data["note"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            donation = recorded.donation
            if donation.refund_cents:
                messages.warning(
                    request,
                    _("Recorded, with %(amount)s to refund: %(why)s")
                    % {"amount": euros(donation.refund_cents), "why": donation.note},
                )
            else:
                messages.success(request, _("Gift recorded."))
            return redirect("contacts:detail", contact.pk)
    return render(request, "donations/form.html", {"form": form, "contact": contact})
