"""Staff pages for email blasts: compose, preview as a recipient gets it (desktop and phone
widths), send a test to oneself, send now or later, follow the progress, pause, resume,
cancel."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest
from campaign.mail.rendering import email_render
from campaign.ownership import get_changeable_or_404, get_in_scope_or_404
from campaign.permissions import crm_required
from contacts.segments.selectors import segments_visible_to

from . import services
from .forms import BlastForm, ScheduleForm
from .models import Blast
from .selectors import blast_progress, blast_recipients, blasts_for_staff
from .sending import blast_footer, person_values

ASK_CANCEL = Ask(
    title=gettext_lazy("Cancel the emails not sent yet?"),
    text=gettext_lazy(
        "The emails already sent stay sent; the others will never be. A cancelled blast "
        "cannot be resumed: to pause and resume later, use Pause."
    ),
    button=gettext_lazy("Cancel what is not sent"),
)


@crm_required
def blast_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "emails/list.html", {"blasts": blasts_for_staff(request.user)[:200]})


def _edit(request: AuthenticatedHttpRequest, blast: Blast | None) -> HttpResponse:
    form = BlastForm(
        request.POST or None,
        instance=blast,
        segments=segments_visible_to(request.user),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.blast_save(
                actor=request.user,
                blast=blast,
                name=data["name"],
                segment=data["segment"],
                sender=data["sender"],
                subject=data["subject"],
                preheader=data["preheader"],
                body=data["body"],
                track_clicks=data["track_clicks"],
                territory=data["territory"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("emails:detail", blast_id=saved.pk)
    return render(request, "emails/form.html", {"form": form, "blast": blast})


@crm_required
def blast_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@crm_required
def blast_edit_view(request: AuthenticatedHttpRequest, blast_id: int) -> HttpResponse:
    blast = get_changeable_or_404(
        Blast.objects.select_related("segment"), request.user, pk=blast_id
    )
    if blast.status != Blast.Status.DRAFT:
        return redirect("emails:detail", blast_id=blast.pk)
    return _edit(request, blast)


@crm_required
def blast_detail_view(request: AuthenticatedHttpRequest, blast_id: int) -> HttpResponse:
    blast = get_in_scope_or_404(blasts_for_staff(request.user), pk=blast_id)
    context = {
        "blast": blast,
        "progress": blast_progress(blast),
        "schedule_form": ScheduleForm(),
        "ask_cancel": ASK_CANCEL,
    }
    if blast.status == Blast.Status.DRAFT:
        # As `request.user` would send it now: their scope, not the author's.
        recipients = blast_recipients(blast, user=request.user)
        sample = recipients.first()
        context.update(
            sample=sample,
            recipients=recipients.count(),
            preview=email_render(
                subject=blast.subject,
                body=blast.body,
                preheader=blast.preheader,
                person=person_values(sample),
                footer=blast_footer(blast, unsubscribe="#"),
            ),
        )
    return render(request, "emails/detail.html", context)


@crm_required
def blast_progress_view(request: AuthenticatedHttpRequest, blast_id: int) -> JsonResponse:
    blast = get_in_scope_or_404(blasts_for_staff(request.user), pk=blast_id)
    return JsonResponse({**blast_progress(blast), "waiting": ""})


@crm_required
@require_POST
def blast_action_view(
    request: AuthenticatedHttpRequest, blast_id: int, action: str
) -> HttpResponse:
    blast = get_changeable_or_404(
        Blast.objects.select_related("segment", "sender"), request.user, pk=blast_id
    )
    try:
        if action == "test":
            address = services.blast_send_test(blast=blast, actor=request.user)
            messages.success(request, _("Test sent to %(address)s.") % {"address": address})
        elif action == "start":
            schedule = ScheduleForm(request.POST)
            at = schedule.cleaned_data["at"] if schedule.is_valid() else None
            services.blast_start(blast=blast, actor=request.user, at=at)
            messages.success(request, _("Scheduled.") if at else _("Sending started."))
        elif action == "cancel":
            if not confirmed(request):
                return confirmation_page(
                    request, ask=ASK_CANCEL, back_url=reverse("emails:detail", args=[blast.pk])
                )
            services.blast_cancel(blast=blast, actor=request.user)
            messages.success(request, _("Cancelled: the emails not sent yet will not be."))
        elif action in ("pause", "resume"):
            getattr(services, f"blast_{action}")(blast=blast, actor=request.user)
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("emails:detail", blast_id=blast.pk)
