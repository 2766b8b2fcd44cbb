"""Staff pages for contacts: list, search, detail with timeline, create, edit, consent, export."""

from dataclasses import asdict

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import get_in_scope_or_404
from campaign.pagination import page_number, page_of
from campaign.permissions import crm_required
from contacts.timeline import timeline_for

from . import services
from .exports import csv_stream
from .forms import (
    ConsentForm,
    ContactFilterForm,
    ContactForm,
    EmailFormSet,
    NoteForm,
    PhoneFormSet,
)
from .models import Channel, ConsentStatus, Contact, Source
from .normalize import phone_display
from .privacy.views import ASK_OBJECT
from .scope import territories_visible_to
from .segments.selectors import contacts_in_segment, segments_visible_to
from .selectors import (
    ContactFilters,
    contact_list,
    contact_list_rows,
    contact_pages_for,
    tag_choices,
)

PER_PAGE = 50


def _filters_from(request: AuthenticatedHttpRequest) -> tuple[ContactFilterForm, ContactFilters]:
    form = ContactFilterForm(
        request.GET or None,
        tags=tag_choices(),
        territories=territories_visible_to(request.user),
        segments=segments_visible_to(request.user),
    )
    if not form.is_bound or not form.is_valid():
        return form, ContactFilters()
    data = form.cleaned_data
    filters = ContactFilters(
        q=data["q"].strip(),
        tag=data["tag"].pk if data["tag"] else None,
        territory=data["territory"].pk if data["territory"] else None,
        consent_channel=data["consent_channel"],
        consent_status=data["consent_status"] or ConsentStatus.GRANTED,
        source=data["source"],
        segment=data["segment"].pk if data["segment"] else None,
        order=data["order"] or "newest",
    )
    return form, filters


def _contact_list(request: AuthenticatedHttpRequest, filters: ContactFilters) -> QuerySet[Contact]:
    contacts = contact_list(user=request.user, filters=filters)
    return contacts_in_segment(contacts, user=request.user, segment_id=filters.segment)


@crm_required
def contact_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, filters = _filters_from(request)
    contacts = contact_list_rows(_contact_list(request, filters))
    page = page_of(contacts, number=page_number(request), per_page=PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contacts/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(
                v for k, v in asdict(filters).items() if k not in {"order", "consent_status"}
            ),
        },
    )


@crm_required
def contact_export_view(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The current list as CSV, streamed; the export is logged before the first byte."""
    _form, filters = _filters_from(request)
    contacts = contact_list_rows(_contact_list(request, filters))
    services.export_log_record(
        actor=request.user,
        what="contacts.csv",
        filters=asdict(filters),
        row_count=contacts.order_by().count(),
    )

    rows = csv_stream(contacts)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contacts-{stamp}.csv"'
    return response


# Timeline entries that show political opinions: door results with support and answers,
# survey answers given by text; and any entry its plugin marks as one (a petition's answers).
OPINION_ENTRIES = {"door", "survey"}


@crm_required
def contact_detail_view(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    consents = {c.channel: c for c in contact.consents.all()}
    timeline = timeline_for(contact)
    if any(entry.opinion or entry.kind in OPINION_ENTRIES for entry in timeline):
        services.opinion_view_record(actor=request.user, what="contact page", contact_id=contact.pk)
    return render(
        request,
        "contacts/detail.html",
        {
            "contact": contact,
            "consent_rows": [
                (value, label, consents.get(value)) for value, label in Channel.choices
            ],
            "consent_form": ConsentForm(),
            "note_form": NoteForm(),
            "timeline": timeline,
            "tag_names": tag_choices().values_list("name", flat=True),
            "ask_object": ASK_OBJECT,
        },
    )


def _formsets(request: HttpRequest, contact=None):
    data = request.POST if request.method == "POST" else None
    emails, phones = [], []
    # Initial rows only to display: on POST, every filled row counts as given, so a row
    # equal to its initial value is not mistaken for an untouched extra form and dropped.
    if contact is not None and data is None:
        emails = [{"address": e.address, "is_primary": e.is_primary} for e in contact.emails.all()]
        # Shown as people write them (06 12 34 56 78); unreadable ones as they were typed.
        phones = [
            {"number": phone_display(p.e164) if p.e164 else p.raw, "is_primary": p.is_primary}
            for p in contact.phones.all()
        ]
    return (
        EmailFormSet(data, prefix="emails", initial=emails),
        PhoneFormSet(data, prefix="phones", initial=phones),
    )


def _channel_inputs(email_formset, phone_formset):
    emails = [
        services.EmailInput(
            address=f.cleaned_data["address"], is_primary=f.cleaned_data["is_primary"]
        )
        for f in email_formset
        if f.cleaned_data.get("address")
    ]
    phones = [
        services.PhoneInput(
            number=f.cleaned_data["number"], is_primary=f.cleaned_data["is_primary"]
        )
        for f in phone_formset
        if f.cleaned_data.get("number")
    ]
    return emails, phones


def _warn_unreadable_phones(request: HttpRequest, contact) -> None:
    for phone in contact.phones.all():
        if not phone.e164:
            messages.warning(
                request,
                _("The phone number “%(raw)s” could not be read: it is kept as typed and flagged.")
                % {"raw": phone.raw},
            )


def _contact_form_view(request: AuthenticatedHttpRequest, contact=None) -> HttpResponse:
    form = ContactForm(request.POST or None, contact=contact)
    email_formset, phone_formset = _formsets(request, contact)
    if request.method == "POST" and all(
        [form.is_valid(), email_formset.is_valid(), phone_formset.is_valid()]
    ):
        emails, phones = _channel_inputs(email_formset, phone_formset)
        try:
            if contact is None:
                contact = services.contact_create(
                    actor=request.user,
                    source=Source.MANUAL,
                    emails=emails,
                    phones=phones,
                    **form.service_kwargs(),
                )
                messages.success(request, _("Contact created."))
            else:
                services.contact_update(
                    contact=contact,
                    actor=request.user,
                    emails=emails,
                    phones=phones,
                    **form.service_kwargs(),
                )
                messages.success(request, _("Changes saved."))
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            _warn_unreadable_phones(request, contact)
            return redirect("contacts:detail", contact_id=contact.pk)
    return render(
        request,
        "contacts/form.html",
        {
            "form": form,
            "email_formset": email_formset,
            "phone_formset": phone_formset,
            "contact": contact,
            "tag_names": tag_choices().values_list("name", flat=True),
        },
    )


@crm_required
def contact_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _contact_form_view(request)


@crm_required
def contact_edit_view(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    return _contact_form_view(request, contact)


@require_POST
@crm_required
def contact_consent_view(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_set(
            contact=contact,
            actor=request.user,
            source=Source.MANUAL,
            **form.cleaned_data,
        )
        messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("The consent could not be recorded: check the form."))
    return redirect("contacts:detail", contact_id=contact.pk)


@require_POST
@crm_required
def contact_note_view(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.contact_note_add(
            contact=contact, actor=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("A note cannot be empty."))
    return redirect("contacts:detail", contact_id=contact.pk)


@require_POST
@crm_required
def contact_tags_view(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """Add tags (comma-separated) or remove one, from the contact page."""
    contact = get_in_scope_or_404(contact_pages_for(request.user), pk=contact_id)
    add = [name.strip() for name in request.POST.get("add", "").split(",") if name.strip()]
    remove = [request.POST["remove"]] if request.POST.get("remove") else []
    if add or remove:
        services.contact_tag(contact=contact, actor=request.user, add=add, remove=remove)
        messages.success(request, _("Tags updated."))
    return redirect("contacts:detail", contact_id=contact.pk)
