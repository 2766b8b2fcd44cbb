"""Staff pages for donations: the list with its totals, and a gift recorded by hand."""

import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.counters import window_hit
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest, client_ip, query_id
from campaign.ownership import get_changeable_or_404, get_in_scope_or_404
from campaign.pagination import page_number, page_of
from campaign.permissions import admin_required, crm_required, public
from contacts.exports import csv_lines
from contacts.imports.reader import UnreadableFile
from contacts.scope import contacts_visible_to
from contacts.services import export_log_record

from . import selectors, services
from .emails import STOP_SALT, stop_link
from .forms import DonationFilterForm, DonationForm, DriveForm, GiveForm, ProviderImportForm
from .imports import provider_import
from .models import Donation, Drive, Entity, Receipt
from .providers import card_provider
from .receipts import receipt_pdf
from .rules import euros


@crm_required
def donation_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The gifts in scope, narrowed by the filters; the figures and reports follow them."""
    form = DonationFilterForm(request.GET or None, drives=selectors.drive_choices(request.user))
    filters = form.filters()
    donations = selectors.donation_list(user=request.user, filters=filters)
    page = page_of(donations, number=page_number(request))
    report = selectors.donation_report(donations)
    summary = {**selectors.donation_figures(donations), "mrr": report["mrr"]}
    return render(
        request,
        "donations/list.html",
        {
            "form": form,
            "filtered": filters.active,
            "page": page,
            "summary": summary,
            "report": report,
        },
    )


# Fundraising pages, for staff


@crm_required
def drive_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    drives = selectors.drives_for_staff(request.user)
    changeable = selectors.drive_ids_changeable_by(request.user)
    return render(
        request, "donations/drive_list.html", {"drives": drives, "changeable": changeable}
    )


def _drive_edit(request: AuthenticatedHttpRequest, drive: Drive | None) -> HttpResponse:
    # The page as stored: the form writes what was typed onto its instance as it validates.
    stored = {"title": drive.title, "slug": drive.slug, "status": drive.status} if drive else {}
    form = DriveForm(request.POST or None, instance=drive, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.drive_save(drive=form.save(commit=False), actor=request.user)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Fundraising page saved: %(title)s.") % {"title": saved.title},
            )
            return redirect("donations:drives")
    return render(request, "donations/drive_form.html", {"form": form, "stored": stored})


@crm_required
def drive_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _drive_edit(request, None)


@crm_required
def drive_edit_view(request: AuthenticatedHttpRequest, drive_id: int) -> HttpResponse:
    drive = get_changeable_or_404(Drive.objects.all(), request.user, pk=drive_id)
    return _drive_edit(request, drive)


@crm_required
def donation_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    wanted = request.GET.get("contact", "")  # not an id: no such person (a 404, not a 500)
    known = wanted.isascii() and wanted.isdigit() and len(wanted) < 19
    contact = get_in_scope_or_404(contacts_visible_to(request.user), pk=wanted if known else 0)
    form = DonationForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.donation_record(
                entity=data["entity"],
                contact=contact,
                amount_cents=data["amount"],  # in cents: AmountField read it
                method=data["method"],
                kind=data["kind"],
                received_on=data["received_on"],
                natural_person=data["natural_person"],
                french_or_resident=data["french_or_resident"],
                online=False,
                actor=request.user,
                note=data["note"],
                other_parties_cents=data["other_parties"] or 0,
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


# The public pages


def _drive(slug: str):
    drive = Drive.objects.select_related("entity").filter(slug=slug).first()
    if drive is None or drive.status == Drive.Status.DRAFT:
        raise Http404
    return drive


@public
def drive_page_view(request: HttpRequest, slug: str) -> HttpResponse:
    """/don/<slug>/: the story, the thermometer, the form; the law checked as they give."""
    drive = _drive(slug)
    form = GiveForm(
        request.POST or None,
        suggested=selectors.suggested(drive),
        card=card_provider() is not None,
        monthly=drive.monthly,
        party=drive.entity.kind == Entity.Kind.PARTY,
    )
    status = 200
    limit = settings.DONATION_ATTEMPTS_PER_IP_PER_MINUTE
    if request.method == "POST" and window_hit(f"give:{client_ip(request)}", limit=limit):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many attempts from your connection in the last minute. Please try again "
                "in a minute: nothing was recorded."
            ),
        )
        status = 429
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _donation, next_step = services.donation_start(
                drive=drive,
                donor=services.DonorInput(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    street=data["street"],
                    postal_code=data["postal_code"],
                    commune=data["commune"],
                ),
                amount_cents=data["cents"],
                method=data["method"],
                monthly=data.get("monthly", False),
                natural_person=data["natural_person"],
                french_or_resident=data["french_or_resident"],
                tracking={key: request.POST.get(key, "") for key in services.TRACKED},
                other_parties_cents=data.get("other_parties") or 0,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(next_step.url)
    raised = selectors.raised(drive)
    return render(
        request,
        "donations/page.html",
        {
            "drive": drive,
            "form": form,
            "raised": raised,
            "percent": min(100, 100 * raised // drive.goal_cents) if drive.goal_cents else 0,
            "tracking": {
                key: (request.POST or request.GET).get(key, "")[:100] for key in services.TRACKED
            },
        },
        status=status,
    )


@public
def thanks_view(request: HttpRequest, slug: str, checkout) -> HttpResponse:

    drive = _drive(slug)
    donation = Donation.objects.filter(drive=drive, checkout=checkout).first()
    if donation is None:
        raise Http404
    return render(
        request,
        "donations/thanks.html",
        {
            "drive": drive,
            "donation": donation,
            "cheque_order": settings.DONATION_CHEQUE_ORDER or drive.entity.name,
            "iban": settings.DONATION_IBAN,
            "stop_link": stop_link(donation) if donation.monthly else "",
        },
    )


@public
def fake_card_view(request: HttpRequest, checkout) -> HttpResponse:
    """The fake card provider's hosted page (tests and demos): 4242 4242 4242 4242 pays,
    any other number is declined. On a real provider this is their site and a webhook."""

    if card_provider() is None or card_provider().name != "fake_card":
        raise Http404
    donation = Donation.objects.select_related("drive").filter(checkout=checkout).first()
    if donation is None or donation.drive is None:
        raise Http404
    error = ""
    if request.method == "POST":
        number = "".join(c for c in request.POST.get("number", "") if c.isdigit())
        if request.POST.get("cancel"):
            services.donation_settled(
                checkout=checkout, provider_name="fake_card", txn_id="", paid=False
            )
            return redirect("donations:page", slug=donation.drive.slug)
        if number == "4242424242424242":
            services.donation_settled(
                checkout=checkout,
                provider_name="fake_card",
                txn_id=f"fake_{uuid.uuid4().hex[:16]}",
                paid=True,
            )
            return redirect(
                "donations:thanks", slug=donation.drive.slug, checkout=donation.checkout
            )
        error = _("Card declined. Try 4242 4242 4242 4242 (this is a test page).")
    return render(
        request,
        "donations/fake_card.html",
        {"donation": donation, "error": error},
    )


@crm_required
def receipt_pdf_view(request: AuthenticatedHttpRequest, receipt_id: int) -> HttpResponse:
    receipt = get_in_scope_or_404(
        Receipt.objects.select_related("donation__contact", "entity").filter(
            donation__in=selectors.donations_for_staff(request.user)
        ),
        pk=receipt_id,
    )
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recu-{receipt.reference}.pdf"'
    return response


@crm_required
def donation_action_view(
    request: AuthenticatedHttpRequest, donation_id: int, action: str
) -> HttpResponse:
    """Staff: a pledge arrived (paid), the excess went back (refunded), a receipt voided."""
    if request.method != "POST":
        raise Http404
    donation = get_in_scope_or_404(selectors.donations_for_staff(request.user), pk=donation_id)
    try:
        if action == "paid":
            services.donation_paid(donation=donation, actor=request.user)
        elif action == "refunded":
            services.donation_refunded(donation=donation, actor=request.user)
        elif action == "stop":
            services.monthly_stop(donation=donation, actor=request.user)
        elif action == "void" and donation.receipt is not None:
            services.receipt_void(
                receipt=donation.receipt, actor=request.user, reason=request.POST.get("reason", "")
            )
        elif action == "receipt":  # a new receipt after one voided
            services.receipt_issue(donation=donation)
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("donations:list")


@admin_required
def provider_import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A provider's export: each transaction once; unreadable lines with their number.
    Administrators only: its donors are matched by email across the whole campaign (the
    treasurer's work), which an organizer's write must never reach beyond their people."""

    form = ProviderImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()[:6]) as copy:
            for piece in upload.chunks():
                copy.write(piece)
            copy.flush()
            try:
                report = provider_import(
                    actor=request.user,
                    entity=form.cleaned_data["entity"],
                    provider=form.cleaned_data["provider"],
                    path=copy.name,
                )
            except (UnreadableFile, ApplicationError) as error:
                form.add_error("file", getattr(error, "message", str(error)))
    return render(request, "donations/import.html", {"form": form, "report": report})


@admin_required
def donor_list_view(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The annual donor list the CNCCFP asks for, as CSV; administrators only, logged."""

    entity = Entity.objects.filter(pk=query_id(request.GET.get("entity"))).first() or (
        Entity.objects.order_by("pk").first()
    )
    if entity is None:
        raise Http404
    asked = request.GET.get("year", "")
    year = (
        int(asked)
        if asked.isdigit()
        else (timezone.localdate().year if entity.kind == Entity.Kind.PARTY else None)
    )
    rows = list(selectors.donor_list(entity=entity, year=year))
    receipts: dict[int, list[str]] = {}
    for receipt in Receipt.objects.filter(
        entity=entity,
        voided_at__isnull=True,
        donation__contact_id__in=[r["contact_id"] for r in rows],
    ).select_related("donation"):
        receipts.setdefault(receipt.donation.contact_id, []).append(receipt.reference)
    export_log_record(
        actor=request.user,
        what="donors.csv",
        filters={"entity": entity.pk, "year": year},
        row_count=len(rows),
    )
    header = [
        _("Last name"),
        _("First name"),
        _("Address"),
        _("Postal code"),
        _("Town"),
        _("Total (€)"),
        _("Gifts"),
        _("Receipts"),
    ]
    lines = (
        [
            r["contact__last_name"],
            r["contact__first_name"],
            *(
                (r["contact__street"], r["contact__postal_code"], r["contact__commune"])
                if r["contact__street"]
                else (r["typed_street"], r["typed_postal_code"], r["typed_commune"])
            ),
            f"{r['kept'] / 100:.2f}",
            r["gifts"],
            " ".join(sorted(receipts.get(r["contact_id"], []))),
        ]
        for r in rows
    )
    response = StreamingHttpResponse(
        csv_lines(header, lines), content_type="text/csv; charset=utf-8"
    )
    suffix = f"-{year}" if year else ""
    response["Content-Disposition"] = f'attachment; filename="donateurs{suffix}.csv"'
    return response


@public
def monthly_stop_view(request: HttpRequest, token: str) -> HttpResponse:
    """The donor stops their monthly gift: a page to confirm, then a POST (a link scanner
    following the link stops nothing)."""

    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    donation = Donation.objects.select_related("drive").filter(pk=pk, monthly=True).first()
    if donation is None:
        raise Http404
    stopped = donation.stopped_at is not None
    if request.method == "POST" and not stopped:
        services.monthly_stop(donation=donation, actor=None)
        stopped = True
    return render(
        request,
        "donations/stop.html",
        {"drive": donation.drive, "donation": donation, "stopped": stopped},
    )
