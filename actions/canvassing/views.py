"""Canvassing pages. Staff: campaigns, their script, turfs cut and assigned, progress on a
table and a map, printable walk lists. Volunteers, on their phones: the walk list, a door in
two taps, a whole building "not home" in one; it keeps working offline (static/js)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from campaign.accounts.names import display_name
from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest
from campaign.ownership import (
    get_changeable_or_404,
    get_in_scope_or_404,
    may_change,
    owner_chosen,
)
from campaign.permissions import crm_required, login_rule, public
from contacts.exports import csv_lines
from contacts.scope import contacts_visible_to
from contacts.services import export_log_record

from . import selectors, services
from .api import walk_payload
from .forms import AssignForm, CampaignForm, CutForm, QuestionFormSet, ResultCodeFormSet
from .models import CanvassCampaign, Door, Question, Resident, Turf, default_result_codes

# Closing stops every volunteer's walk at once, offline phones included.
ASK_CLOSE = Ask(
    title=gettext_lazy("Close this campaign?"),
    text=gettext_lazy(
        "Volunteers can no longer walk its turfs nor record doors, and no turf can be cut. "
        "The visits recorded stay. You may reopen it later."
    ),
    button=gettext_lazy("Close the campaign"),
)


@crm_required
def campaign_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "canvassing/list.html",
        {
            "campaigns": selectors.campaigns_for_staff(request.user).select_related("territory")[
                :200
            ]
        },
    )


def _edit(request: AuthenticatedHttpRequest, campaign: CanvassCampaign | None) -> HttpResponse:
    data = request.POST or None
    form = CampaignForm(data, instance=campaign, user=request.user)
    initial = (
        [
            {"id": q.pk, "kind": q.kind, "text": q.text, "choices": q.choices}
            for q in campaign.questions.all()
        ]
        if campaign
        else services.default_questions()
    )
    questions = QuestionFormSet(data, prefix="questions", initial=initial)
    codes = ResultCodeFormSet(
        data,
        prefix="codes",
        initial=campaign.result_codes if campaign else default_result_codes(),
    )
    valid = form.is_valid() & questions.is_valid() & codes.is_valid()
    if request.method == "POST" and valid:
        items = [
            {**f.cleaned_data, "delete": f.cleaned_data.get("DELETE", False)}
            for f in questions
            if f.cleaned_data and f.cleaned_data.get("text")
        ]
        try:
            saved = services.canvass_campaign_save(
                actor=request.user,
                campaign=campaign,
                name=form.cleaned_data["name"],
                territory=owner_chosen(request.user, form.cleaned_data["territory"], campaign),
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                questions=items,
                result_codes=[f.cleaned_data for f in codes if f.cleaned_data],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("canvassing:detail", campaign_id=saved.pk)
    return render(
        request,
        "canvassing/form.html",
        {"form": form, "questions": questions, "codes": codes, "campaign": campaign},
    )


@crm_required
def campaign_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@crm_required
def campaign_edit_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_changeable_or_404(CanvassCampaign.objects.all(), request.user, pk=campaign_id)
    return _edit(request, campaign)


@crm_required
def campaign_detail_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_in_scope_or_404(selectors.campaigns_for_staff(request.user), pk=campaign_id)
    return render(
        request,
        "canvassing/detail.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(request.user, campaign),
            "cut_form": CutForm(),
            "points": selectors.door_points(request.user, campaign),
            "codes": campaign.codes,
            "may_change": may_change(request.user, campaign),
            "ask_close": ASK_CLOSE,
        },
    )


@crm_required
@require_POST
def campaign_action_view(
    request: AuthenticatedHttpRequest, campaign_id: int, action: str
) -> HttpResponse:
    campaign = get_changeable_or_404(CanvassCampaign.objects.all(), request.user, pk=campaign_id)
    try:
        if action == "start":
            services.canvass_campaign_set_status(
                campaign=campaign, actor=request.user, status="active"
            )
        elif action == "close":
            if not confirmed(request):
                return confirmation_page(
                    request,
                    ask=ASK_CLOSE,
                    back_url=reverse("canvassing:detail", args=[campaign.pk]),
                )
            services.canvass_campaign_set_status(
                campaign=campaign, actor=request.user, status="closed"
            )
            messages.success(request, _("Campaign closed. You may reopen it."))
        elif action == "reopen":
            services.canvass_campaign_reopen(campaign=campaign, actor=request.user)
            messages.success(request, _("Campaign reopened: volunteers can walk again."))
        elif action == "cut":
            form = CutForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Check the turf form: a name, and where."))
            else:
                data = form.cleaned_data
                turfs = services.turfs_cut(
                    campaign=campaign,
                    actor=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    values=data["values"].split(","),
                    streets=data["streets"].splitlines(),
                    max_doors=data["max_doors"],
                )
                doors = sum(t.doors_count for t in turfs)
                messages.success(
                    request,
                    _("%(turfs)s turf(s) cut, %(doors)s doors.")
                    % {"turfs": len(turfs), "doors": doors},
                )
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("canvassing:detail", campaign_id=campaign.pk)


def _staff_turf(request: AuthenticatedHttpRequest, turf_id: int) -> Turf:
    turf = (
        Turf.objects.select_related("campaign")
        .filter(pk=turf_id, campaign__in=selectors.campaigns_for_staff(request.user))
        .first()
    )
    if (
        turf is None
        or not selectors.turfs_for_staff(request.user, turf.campaign).filter(pk=turf.pk).exists()
    ):
        raise Http404
    return turf


@crm_required
def turf_detail_view(request: AuthenticatedHttpRequest, turf_id: int) -> HttpResponse:
    turf = _staff_turf(request, turf_id)
    assignable = services.turf_may_be_assigned_by(turf=turf, actor=request.user)
    if request.method == "POST" and not assignable:
        raise Http404  # a turf one may read but not assign is not theirs to change
    form = AssignForm(request.POST or None, initial={"volunteers": turf.volunteers.all()})
    if request.method == "POST" and form.is_valid():
        try:
            services.turf_assign(
                turf=turf, volunteers=list(form.cleaned_data["volunteers"]), actor=request.user
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Assigned."))
            return redirect("canvassing:turf", turf_id=turf.pk)
    return render(
        request,
        "canvassing/turf.html",
        {
            "turf": turf,
            "form": form,
            "assignable": assignable,
            "streets": selectors.walk_list(turf, viewer=request.user),
            "progress": selectors.campaign_progress(request.user, turf.campaign, turf),
        },
    )


@crm_required
def print_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Walk lists for paper canvassing: one turf per printed page (?turf= for one)."""
    campaign = get_in_scope_or_404(selectors.campaigns_for_staff(request.user), pk=campaign_id)
    turfs = selectors.turfs_for_staff(request.user, campaign)
    if request.GET.get("turf", "").isdigit():
        turfs = turfs.filter(pk=int(request.GET["turf"]))
    return render(
        request,
        "canvassing/print.html",
        {
            "campaign": campaign,
            "sheets": [
                (t, selectors.walk_list(t, viewer=request.user)) for t in turfs.order_by("name")
            ],
            "codes": campaign.result_codes,
            "questions": campaign.questions.all(),
        },
    )


@crm_required
def export_view(request: AuthenticatedHttpRequest, campaign_id: int) -> StreamingHttpResponse:
    """The results as CSV. Support levels and answers are political opinions (GDPR art. 9):
    only staff of the turfs' territories get them, and every export is logged."""
    campaign = get_in_scope_or_404(selectors.campaigns_for_staff(request.user), pk=campaign_id)
    visits = selectors.visits_for_export(request.user, campaign)
    export_log_record(
        actor=request.user,
        what="canvass.csv",
        filters={"campaign": campaign.pk},
        row_count=visits.count(),
    )
    visible = set(
        contacts_visible_to(request.user)
        .filter(pk__in=visits.values("contact_id"))
        .values_list("pk", flat=True)
    )
    questions = list(campaign.questions.all())
    codes = campaign.codes

    def rows():
        for v in visits.iterator(chunk_size=2000):
            shown = v.contact_id in visible
            yield [
                v.turf.name,
                str(v.door),
                v.door.postal_code,
                v.door.commune,
                v.contact.full_name if shown and v.contact else "",
                codes.get(v.result, {}).get("label", v.result),
                v.support_level or "",
                "1" if v.wants_to_volunteer else "",
                "1" if v.wants_to_give else "",
                *[v.answers.get(str(q.pk), "") for q in questions],
                v.note,
                timezone.localtime(v.visited_at).isoformat(),
                display_name(v.volunteer),
            ]

    header = [
        _("Turf"),
        _("Address"),
        _("Postal code"),
        _("Commune"),
        _("Person"),
        _("Result"),
        _("Support level"),
        _("Wants to volunteer"),
        _("Wants to give"),
        *[q.text for q in questions],
        _("Note"),
        _("Visited"),
        _("Volunteer"),
    ]
    response = StreamingHttpResponse(
        csv_lines(header, rows()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="porte-a-porte-{stamp}.csv"'
    return response


# Volunteers


def _walkable(request: AuthenticatedHttpRequest, turf_id: int) -> Turf:
    turf = selectors.walkable_turf(request.user, turf_id)
    if turf is None:
        raise Http404
    return turf


@login_rule
@gzip_page  # a long walk list compresses tenfold; Django pads it against BREACH
def walk_view(request: AuthenticatedHttpRequest, turf_id: int) -> HttpResponse:
    turf = _walkable(request, turf_id)
    return render(
        request,
        "canvassing/walk.html",
        {"turf": turf, "payload": walk_payload(turf, viewer=request.user), "key": uuid.uuid4().hex},
    )


@login_rule
def door_view(request: AuthenticatedHttpRequest, turf_id: int, door_id: int) -> HttpResponse:
    """A door in two taps: who answered, the result; a talk asks the script's questions (a
    second step, skippable) before it is saved, as the walk list's dialog does."""
    turf = _walkable(request, turf_id)
    door = get_in_scope_or_404(Door.objects.filter(turf=turf), pk=door_id)
    asking = request.POST.get("ask", "")
    if not turf.campaign.codes.get(asking, {}).get("talked"):
        asking = ""
    if request.method == "POST" and not asking:
        try:
            report = services.visits_record(
                actor=request.user, turf=turf, visits=[_visit_from_form(request.POST, door)]
            )
        except ApplicationError as error:  # the campaign is not under way
            messages.error(request, error.message)
            return redirect("canvassing:door", turf_id=turf.pk, door_id=door.pk)
        if report.rejected:
            messages.error(request, report.rejected[0]["reason"])
            return redirect("canvassing:door", turf_id=turf.pk, door_id=door.pk)
        messages.success(request, _("Recorded: %(door)s.") % {"door": door})
        return redirect(f"{_walk_url(turf)}#door-{door.pk}")
    residents = Resident.objects.filter(
        door=door, contact__in=contacts_visible_to(request.user).values("pk")
    ).select_related("contact")
    return render(
        request,
        "canvassing/door.html",
        {
            "turf": turf,
            "door": door,
            "residents": [r.contact for r in residents],
            "codes": turf.campaign.result_codes,
            "questions": turf.campaign.questions.all(),
            "visit_id": request.POST.get("id") or uuid.uuid4(),
            "kinds": Question.Kind,
            "previous": door.visits.order_by("-visited_at").first(),
            "asking": asking,  # the talk's code, on the questions' step
            "posted": request.POST,
        },
    )


def _walk_url(turf: Turf) -> str:
    return reverse("canvassing:walk", kwargs={"turf_id": turf.pk})


def _visit_from_form(data, door: Door) -> services.VisitInput:
    def number(name: str) -> int | None:
        value = data.get(name, "")
        return int(value) if value.isdigit() else None

    try:
        visit_id = uuid.UUID(data.get("id", ""))
    except ValueError:
        visit_id = uuid.uuid4()
    skipped = data.get("skip", "")  # a talk whose questions were skipped: no answer kept
    answers = {
        key[1:]: value for key, value in data.items() if key[:1] == "q" and key[1:].isdigit()
    }
    return services.VisitInput(
        id=visit_id,
        door_id=door.pk,
        contact_id=number("contact"),
        result=skipped or data.get("result", ""),
        support_level=None if skipped else number("support_level"),
        wants_to_volunteer=not skipped and bool(data.get("wants_to_volunteer")),
        wants_to_give=not skipped and bool(data.get("wants_to_give")),
        answers={} if skipped else answers,
        note=data.get("note", ""),
        visited_at=timezone.now(),
    )


@login_rule
@require_POST
def building_not_home_view(request: AuthenticatedHttpRequest, turf_id: int) -> HttpResponse:
    turf = _walkable(request, turf_id)
    try:
        report = services.building_not_home(
            actor=request.user,
            turf=turf,
            building=request.POST.get("building", ""),
            key=request.POST.get("key", "")[:64] or uuid.uuid4().hex,
        )
    except ApplicationError as error:  # the campaign is not under way
        messages.error(request, error.message)
        return redirect(_walk_url(turf))
    messages.success(
        request, _("Not home: %(count)s doors recorded.") % {"count": len(report.recorded)}
    )
    return redirect(_walk_url(turf))


@public
@gzip_page
def service_worker_view(request: HttpRequest) -> HttpResponse:
    """The offline worker, served under /missions/ so that it may keep those pages."""
    script = Path(settings.BASE_DIR, "static", "js", "canvass_sw.js").read_text()
    return HttpResponse(
        script,
        content_type="application/javascript",
        headers={"Cache-Control": "no-cache"},
    )
