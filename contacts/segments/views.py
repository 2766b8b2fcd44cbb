"""Staff pages for segments: build with a live count, save, freeze into a list, export."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import (
    default_territory_for,
    get_changeable_or_404,
    get_in_scope_or_404,
    may_change,
    owner_chosen,
    territory_choices_for,
)
from campaign.permissions import crm_required
from contacts import services as contact_services
from contacts.exports import TOOL_FORMATS, csv_stream, tool_csv_stream, xlsx_file
from contacts.models import Segment
from contacts.scope import territories_visible_to
from contacts.selectors import contact_list_rows, custom_field_names, tag_choices

from . import services
from .filters import SegmentFilters, describe
from .forms import SegmentForm
from .selectors import segment_contacts, segment_preview_contacts, segments_visible_to


def _form(request: AuthenticatedHttpRequest, data=None, **kwargs) -> SegmentForm:
    form = SegmentForm(
        data,
        tags=tag_choices(),
        territories=territories_visible_to(request.user),
        owners=territory_choices_for(request.user),
        **kwargs,
    )
    if not request.user.is_admin:  # an organizer's segment is one of their territories'
        # A ModelChoiceField, which self.fields types as the base Field.
        form.fields["owner"].empty_label = None  # type: ignore[attr-defined]
    return form


@crm_required
def segment_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    segments = [
        (s, describe(SegmentFilters.from_dict(s.filters)))
        for s in segments_visible_to(request.user)
    ]
    return render(request, "contacts/segments/list.html", {"segments": segments})


def _builder(request: AuthenticatedHttpRequest, segment: Segment | None) -> HttpResponse:
    initial = (
        SegmentForm.initial_from(segment)
        if segment
        else {"owner": default_territory_for(request.user)}
    )
    form = _form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.segment_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                filters=form.to_filters(),
                segment=segment,
                territory=owner_chosen(request.user, form.cleaned_data["owner"], segment),
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Segment saved."))
            return redirect("contacts:segment_detail", segment_id=saved.pk)
    return render(request, "contacts/segments/form.html", {"form": form, "segment": segment})


@crm_required
def segment_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _builder(request, None)


@crm_required
def segment_edit_view(request: AuthenticatedHttpRequest, segment_id: int) -> HttpResponse:
    segment = get_changeable_or_404(Segment.objects.all(), request.user, pk=segment_id)
    if segment.is_static:
        raise Http404
    return _builder(request, segment)


@crm_required
def segment_preview_count_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The builder's live count: how many contacts the filters being edited give."""
    form = _form(request, request.GET, require_name=False)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    count = segment_preview_contacts(user=request.user, filters=form.to_filters()).count()
    return JsonResponse({"count": count})


@crm_required
def segment_detail_view(request: AuthenticatedHttpRequest, segment_id: int) -> HttpResponse:
    segment = get_in_scope_or_404(segments_visible_to(request.user), pk=segment_id)
    contacts = segment_contacts(user=request.user, segment=segment)
    return render(
        request,
        "contacts/segments/detail.html",
        {
            "segment": segment,
            "count": contacts.count(),
            "sample": contacts.order_by("-id")[:10],
            "description": describe(SegmentFilters.from_dict(segment.filters)),
            "may_change": may_change(request.user, segment),
            "ask_delete": ASK_DELETE,
        },
    )


# A deleted segment is gone for everyone who uses it (its saved filters cannot be recovered).
ASK_DELETE = Ask(
    title=gettext_lazy("Delete this segment?"),
    text=gettext_lazy(
        "Its filters are lost for everyone who uses it; the contacts themselves stay. "
        "This cannot be undone."
    ),
    button=gettext_lazy("Delete the segment"),
)


@require_POST
@crm_required
def segment_freeze_view(request: AuthenticatedHttpRequest, segment_id: int) -> HttpResponse:
    segment = get_in_scope_or_404(segments_visible_to(request.user), pk=segment_id)
    frozen = services.segment_freeze(segment=segment, actor=request.user)
    messages.success(request, _("Static list created: its contacts will not change."))
    return redirect("contacts:segment_detail", segment_id=frozen.pk)


@require_POST
@crm_required
def segment_delete_view(request: AuthenticatedHttpRequest, segment_id: int) -> HttpResponse:
    segment = get_changeable_or_404(Segment.objects.all(), request.user, pk=segment_id)
    if not confirmed(request):
        return confirmation_page(
            request,
            ask=ASK_DELETE,
            back_url=reverse("contacts:segment_detail", args=[segment.pk]),
        )
    try:
        services.segment_delete(segment=segment, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("contacts:segment_detail", segment_id=segment.pk)
    messages.success(request, _("Segment deleted."))
    return redirect("contacts:segments")


@crm_required
def segment_export_view(
    request: AuthenticatedHttpRequest, segment_id: int, fmt: str
) -> HttpResponseBase:
    """The segment's contacts (within the user's scope) as CSV, XLSX, or a CSV in another tool's
    import format (contacts.exports.TOOL_FORMATS); every export is logged with its format."""
    segment = get_in_scope_or_404(segments_visible_to(request.user), pk=segment_id)
    contacts = contact_list_rows(
        segment_contacts(user=request.user, segment=segment).order_by("id")
    )
    tool = TOOL_FORMATS.get(fmt)
    contact_services.export_log_record(
        actor=request.user,
        what=f"segment.{fmt}.csv" if tool else f"segment.{fmt}",
        filters={"segment": segment.pk, "name": segment.name},
        row_count=contacts.order_by().count(),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"segment-{segment.pk}-{stamp}.{fmt}"
    response: HttpResponseBase
    if tool:
        response = StreamingHttpResponse(
            tool_csv_stream(contacts, tool, custom_fields=custom_field_names(people=contacts)),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"segment-{segment.pk}-{stamp}-{tool.slug}.csv"
    elif fmt == "xlsx":
        response = HttpResponse(
            xlsx_file(contacts),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            csv_stream(contacts), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
