"""Staff pages for importing a file: upload, check the columns, follow progress, read the report."""

import csv

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import get_in_scope_or_404
from campaign.permissions import crm_required
from contacts.exports import spreadsheet_safe
from contacts.models import ImportJob
from contacts.selectors import tag_choices

from . import services
from .forms import ImportUploadForm, MappingForm
from .reader import UnreadableFile
from .selectors import import_left_out, import_preview, import_progress, imports_visible_to


@crm_required
def import_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    jobs = imports_visible_to(request.user)[:100]
    return render(request, "contacts/imports/list.html", {"jobs": jobs})


@crm_required
def import_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.contact_import_create(
                actor=request.user,
                file=upload,
                original_name=upload.name,
                source_detail=form.cleaned_data["source_detail"],
                tags=form.tag_list(),
                territory=form.cleaned_data.get("territory"),
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else "file", error.message)
        else:
            return redirect("contacts:import_detail", job_id=job.pk)
    return render(
        request,
        "contacts/imports/new.html",
        {"form": form, "tag_names": tag_choices().values_list("name", flat=True)},
    )


@crm_required
def import_detail_view(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = get_in_scope_or_404(imports_visible_to(request.user), pk=job_id)
    context = {"job": job, "progress": import_progress(job)}
    if job.status == ImportJob.Status.DRAFT:
        try:
            preview = import_preview(job)
        except (UnreadableFile, OSError) as exc:
            messages.error(
                request, _("The file cannot be read any more: %(error)s") % {"error": exc}
            )
            return redirect("contacts:imports")
        form = MappingForm(
            request.POST or None,
            headers=preview["headers"],
            mapping=job.mapping,
            forbidden=preview["forbidden"],
        )
        # "Update the list" (for a browser without JavaScript) shows the choices, starts nothing.
        starting = request.method == "POST" and "refresh" not in request.POST
        if starting and form.is_valid():
            try:
                services.contact_import_start(
                    job=job,
                    mapping=form.mapping(),
                    keep_other_columns=form.cleaned_data["keep_others"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                return redirect("contacts:import_detail", job_id=job.pk)
        context.update(preview=preview, form=form, columns=form.columns(), left_out=form.left_out())
    elif job.status == ImportJob.Status.DONE:
        context.update(
            rejected=job.rejected[:200],
            warnings=job.warnings[:200],
            kept=job.kept[:200],
            left_out=import_left_out(job),
        )
    return render(request, "contacts/imports/detail.html", context)


@crm_required
def import_progress_view(request: AuthenticatedHttpRequest, job_id: int) -> JsonResponse:
    job = get_in_scope_or_404(imports_visible_to(request.user), pk=job_id)
    return JsonResponse(import_progress(job))


@crm_required
def import_rejected_view(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """Rejected lines and warnings as CSV, to fix in a spreadsheet and import again; first,
    the columns left out that held data."""
    job = get_in_scope_or_404(imports_visible_to(request.user), pk=job_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejets-import-{job.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("line"), _("kind"), _("reason")])
    for note in import_left_out(job):
        writer.writerow(["", _("column not imported"), spreadsheet_safe(note)])
    rows = [(line, _("rejected"), reason) for line, reason in job.rejected]
    rows += [(line, _("warning"), reason) for line, reason in job.warnings]
    rows += [(line, _("kept as typed"), reason) for line, reason in job.kept]
    for line, kind, reason in sorted(rows, key=lambda r: r[0]):
        writer.writerow([line, kind, spreadsheet_safe(reason)])
    return response
