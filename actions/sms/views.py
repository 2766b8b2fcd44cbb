"""Staff pages for texts: compose a blast, check it, send it, follow it; the inbox."""

import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import get_changeable_or_404, get_in_scope_or_404
from campaign.pagination import page_number, page_of
from campaign.permissions import crm_required
from contacts.imports.reader import UnreadableFile
from contacts.segments.selectors import segments_visible_to

from . import text
from .forms import BlastForm, OptOutImportForm, ScheduleForm, TestSendForm
from .models import Blast, Inbound, OptOut
from .selectors import blast_progress, blast_recipients, blasts_for_staff, inbox
from .services import blasts, optouts, quiet_hours, sending

# Cancelling cannot be undone: a cancelled blast is not resumed, its texts not queued again.
ASK_CANCEL = Ask(
    title=gettext_lazy("Cancel the texts not sent yet?"),
    text=gettext_lazy(
        "The texts already sent stay sent; the others will never be. A cancelled blast "
        "cannot be resumed: to pause and resume later, use Pause."
    ),
    button=gettext_lazy("Cancel what is not sent"),
)


@crm_required
def blast_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "sms/list.html", {"blasts": blasts_for_staff(request.user)[:200]})


def _edit(request: AuthenticatedHttpRequest, blast: Blast | None) -> HttpResponse:
    start, end = quiet_hours.default_quiet_hours()
    form = BlastForm(
        request.POST or None,
        instance=blast,
        segments=segments_visible_to(request.user),
        user=request.user,
        initial=None if blast else {"quiet_start": start, "quiet_end": end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = blasts.blast_save(
                actor=request.user,
                blast=blast,
                name=form.cleaned_data["name"],
                segment=form.cleaned_data["segment"],
                territory=form.cleaned_data["territory"],
                body=form.cleaned_data["body"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("sms:detail", blast_id=saved.pk)
    return render(
        request,
        "sms/form.html",
        {"form": form, "blast": blast, "opt_out_line": settings.SMS_OPT_OUT_LINE},
    )


@crm_required
def blast_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@crm_required
def blast_edit_view(request: AuthenticatedHttpRequest, blast_id: int) -> HttpResponse:
    blast = get_changeable_or_404(
        Blast.objects.select_related("segment"), request.user, pk=blast_id
    )
    if blast.status != Blast.Status.DRAFT:
        return redirect("sms:detail", blast_id=blast.pk)
    return _edit(request, blast)


def _estimate(blast: Blast, user) -> dict:
    """The figures as they would be if `user` started it now: their scope, not the author's."""
    recipients = blast_recipients(blast, user=user)
    sample = recipients.first()
    body = sending.rendered(blast, sample or {})
    length = text.measure(body)
    count = recipients.count()
    return {
        "preview": body,
        "sample": sample,
        "length": length,
        "recipients": count,
        "cost": Decimal(settings.SMS_PRICE_PER_SEGMENT) * length.segments * count,
    }


def _date_and_time(at: datetime) -> dict[str, str]:
    local = timezone.localtime(at, quiet_hours.PARIS)
    return {"date": date_format(local, "DATE_FORMAT"), "time": local.strftime("%H:%M")}


def _same_day(at: datetime, other: datetime) -> bool:
    return (
        timezone.localtime(at, quiet_hours.PARIS).date()
        == timezone.localtime(other, quiet_hours.PARIS).date()
    )


def _sent_now_waits(blast: Blast, now: datetime) -> str:
    """On the review page: sent now, inside its quiet hours, the texts would wait."""
    until = quiet_hours.quiet_until(blast, now)
    if until is None:
        return ""
    if _same_day(until, now):
        return _(
            "It is within this blast's quiet hours: sent now, the texts will wait and start "
            "at %(time)s (Europe/Paris)."
        ) % _date_and_time(until)
    return _(
        "It is within this blast's quiet hours: sent now, the texts will wait and start on "
        "%(date)s at %(time)s (Europe/Paris)."
    ) % _date_and_time(until)


def _waiting(blast: Blast, now: datetime) -> str:
    """Why no text leaves yet: the scheduled time, or the end of the quiet hours."""
    if blast.status == Blast.Status.SCHEDULED and blast.scheduled_at:
        at = blast.scheduled_at
        text = _("Scheduled for %(at)s.") % {
            "at": date_format(timezone.localtime(at, quiet_hours.PARIS), "DATETIME_FORMAT")
        }
        until = quiet_hours.quiet_until(blast, at)
        if until is None:
            return text
        if _same_day(until, at):
            later = _("That is within its quiet hours: the texts will start at %(time)s instead.")
        else:
            later = _(
                "That is within its quiet hours: the texts will start on %(date)s at "
                "%(time)s instead."
            )
        return f"{text} {later % _date_and_time(until)}"
    if blast.status == Blast.Status.SENDING:
        until = quiet_hours.quiet_until(blast, now)
        if until is None:
            return ""
        if _same_day(until, now):
            return _("Waiting for quiet hours to end at %(time)s.") % _date_and_time(until)
        return _("Waiting for quiet hours to end on %(date)s at %(time)s.") % _date_and_time(until)
    return ""


@crm_required
def blast_detail_view(request: AuthenticatedHttpRequest, blast_id: int) -> HttpResponse:
    blast = get_in_scope_or_404(blasts_for_staff(request.user), pk=blast_id)
    now = timezone.now()
    context = {
        "blast": blast,
        "progress": blast_progress(blast),
        "waiting": _waiting(blast, now),
        "test_form": TestSendForm(),
        "schedule_form": ScheduleForm(),
        "ask_cancel": ASK_CANCEL,
    }
    if blast.status == Blast.Status.DRAFT:
        context.update(_estimate(blast, request.user))
        context["sent_now_waits"] = _sent_now_waits(blast, now)
    return render(request, "sms/detail.html", context)


@crm_required
def blast_progress_view(request: AuthenticatedHttpRequest, blast_id: int) -> JsonResponse:
    blast = get_in_scope_or_404(blasts_for_staff(request.user), pk=blast_id)
    return JsonResponse({**blast_progress(blast), "waiting": _waiting(blast, timezone.now())})


@crm_required
def compose_preview_view(request: HttpRequest) -> JsonResponse:
    """The composer's live figures: the text as a sample person gets it, its length."""
    body = request.GET.get("body", "")
    rendered = text.render(
        body,
        {"first_name": "Léa", "last_name": "Garnier", "commune": "Lyon"},
        opt_out_line=settings.SMS_OPT_OUT_LINE,
    )
    length = text.measure(rendered)
    return JsonResponse(
        {
            "preview": rendered,
            "encoding": length.encoding,
            "characters": length.characters,
            "segments": length.segments,
            "offenders": length.offenders,
            "unknown": text.unknown_fields(body),
        }
    )


@crm_required
@require_POST
def blast_action_view(
    request: AuthenticatedHttpRequest, blast_id: int, action: str
) -> HttpResponse:
    blast = get_changeable_or_404(
        Blast.objects.select_related("segment"), request.user, pk=blast_id
    )
    try:
        if action == "test":
            form = TestSendForm(request.POST)
            if form.is_valid():
                blasts.blast_send_test(blast=blast, actor=request.user, to=form.cleaned_data["to"])
                messages.success(request, _("Test sent."))
        elif action == "start":
            schedule = ScheduleForm(request.POST)
            at = schedule.cleaned_data["at"] if schedule.is_valid() else None
            blasts.blast_start(blast=blast, actor=request.user, at=at)
            messages.success(request, _("Scheduled.") if at else _("Sending started."))
        elif action == "cancel":
            if not confirmed(request):
                return confirmation_page(
                    request, ask=ASK_CANCEL, back_url=reverse("sms:detail", args=[blast.pk])
                )
            blasts.blast_cancel(blast=blast, actor=request.user)
            messages.success(request, _("Cancelled: the texts not sent yet will not be."))
        elif action in ("pause", "resume"):
            getattr(blasts, f"blast_{action}")(blast=blast, actor=request.user)
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("sms:detail", blast_id=blast.pk)


@crm_required
def inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    replies = inbox(request.user)
    kind = request.GET.get("kind", "")
    if kind in Inbound.Kind.values:
        replies = replies.filter(kind=kind)
    page = page_of(replies.order_by("-received_at"), number=page_number(request))
    return render(
        request, "sms/inbox.html", {"page": page, "kind": kind, "kinds": Inbound.Kind.choices}
    )


@crm_required
def optout_import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Numbers that said STOP elsewhere (the 36180 service, a list) join the opt-out list."""
    form = OptOutImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()[:6]
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
            for piece in upload.chunks():
                copy.write(piece)
            copy.flush()
            try:
                report = optouts.optouts_import(
                    actor=request.user, path=copy.name, source=form.cleaned_data["source"]
                )
            except UnreadableFile as error:
                form.add_error("file", str(error))
    return render(
        request,
        "sms/optouts.html",
        {"form": form, "report": report, "total": OptOut.objects.count()},
    )
