"""Pages for peer-to-peer texting. Staff: build a campaign, hand out batches, read the inbox.
Volunteers, on their phones: send each opening with one tap, answer, record, opt out."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaign.accounts.names import display_name
from campaign.confirm import Ask, confirmation_page, confirmed
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest, query_id
from campaign.ownership import get_changeable_or_404, get_in_scope_or_404
from campaign.pagination import page_number, page_of
from campaign.permissions import crm_required, login_rule
from contacts.segments.selectors import segments_visible_to

from .. import text
from ..models import P2PCampaign
from ..services.quiet_hours import default_quiet_hours
from . import selectors, services
from .forms import (
    AssignForm,
    CannedFormSet,
    P2PCampaignForm,
    QuestionFormSet,
    ReassignForm,
    RecordForm,
    ReplyForm,
    formset_items,
)

# Closing cancels every text not sent yet, and a closed campaign is not started again.
ASK_CLOSE = Ask(
    title=gettext_lazy("Close this texting campaign?"),
    text=gettext_lazy(
        "The texts not sent yet are cancelled and volunteers get no more batches; the "
        "conversations stay readable. A closed campaign cannot be started again."
    ),
    button=gettext_lazy("Close the campaign"),
)


@crm_required
def p2p_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaigns = selectors.p2p_campaigns_for_staff(request.user)[:200]
    return render(request, "sms/p2p/list.html", {"campaigns": campaigns})


def _edit(request: AuthenticatedHttpRequest, campaign: P2PCampaign | None) -> HttpResponse:
    start, end = default_quiet_hours()
    started = campaign is not None and campaign.status != P2PCampaign.Status.DRAFT
    data = request.POST or None
    form = P2PCampaignForm(
        data,
        instance=campaign,
        segments=segments_visible_to(request.user),
        user=request.user,
        started=started,
        initial=None if campaign else {"quiet_start": start, "quiet_end": end},
    )
    canned = CannedFormSet(
        data,
        prefix="canned",
        initial=[
            {"id": c.pk, "title": c.title, "body": c.body}
            for c in (campaign.canned.all() if campaign else [])
        ],
    )
    questions = QuestionFormSet(
        data,
        prefix="questions",
        initial=[
            {"id": q.pk, "text": q.text, "choices": q.choices}
            for q in (campaign.questions.all() if campaign else [])
        ],
    )
    if request.method == "POST" and form.is_valid() and canned.is_valid() and questions.is_valid():
        cleaned = form.cleaned_data
        try:
            saved = services.p2p_campaign_save(
                actor=request.user,
                campaign=campaign,
                name=cleaned["name"],
                segment=cleaned["segment"],
                territory=cleaned["territory"],
                script=cleaned["script"],
                tags=list(cleaned["tags"]),
                canned=formset_items(canned),
                questions=formset_items(questions),
                batch_size=cleaned["batch_size"],
                volunteers_ask_for_more=cleaned["volunteers_ask_for_more"],
                quiet_start=cleaned["quiet_start"],
                quiet_end=cleaned["quiet_end"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("sms:p2p_detail", campaign_id=saved.pk)
    return render(
        request,
        "sms/p2p/form.html",
        {
            "form": form,
            "canned": canned,
            "questions": questions,
            "campaign": campaign,
            "opt_out_line": settings.SMS_OPT_OUT_LINE,
        },
    )


@crm_required
def p2p_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@crm_required
def p2p_edit_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_changeable_or_404(P2PCampaign.objects.all(), request.user, pk=campaign_id)
    if campaign.status == P2PCampaign.Status.CLOSED:
        return redirect("sms:p2p_detail", campaign_id=campaign.pk)
    return _edit(request, campaign)


@crm_required
def p2p_detail_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_in_scope_or_404(selectors.p2p_campaigns_for_staff(request.user), pk=campaign_id)
    preview = text.render(
        campaign.script,
        {"first_name": "Léa", "last_name": "Garnier", "commune": "Lyon"},
        opt_out_line=settings.SMS_OPT_OUT_LINE,
    )
    return render(
        request,
        "sms/p2p/detail.html",
        {
            "campaign": campaign,
            "figures": selectors.campaign_figures(campaign),
            "ask_close": ASK_CLOSE,
            "assign_form": AssignForm(
                volunteers=selectors.texters(), batch_size=campaign.batch_size
            ),
            "preview": preview,
            "length": text.measure(preview),
            "canned": campaign.canned.all(),
            "questions": campaign.questions.all(),
        },
    )


@crm_required
@require_POST
def p2p_action_view(
    request: AuthenticatedHttpRequest, campaign_id: int, action: str
) -> HttpResponse:
    campaign = get_changeable_or_404(P2PCampaign.objects.all(), request.user, pk=campaign_id)
    try:
        if action == "start":
            services.p2p_campaign_start(campaign=campaign, actor=request.user)
            messages.success(request, _("Under way: hand out batches to volunteers."))
        elif action == "close":
            if not confirmed(request):
                return confirmation_page(
                    request, ask=ASK_CLOSE, back_url=reverse("sms:p2p_detail", args=[campaign.pk])
                )
            services.p2p_campaign_close(campaign=campaign, actor=request.user)
            messages.success(request, _("Closed: no more texts will be sent."))
        elif action == "assign":
            form = AssignForm(
                request.POST, volunteers=selectors.texters(), batch_size=campaign.batch_size
            )
            if not form.is_valid():
                messages.error(request, _("Pick a volunteer and a number of people."))
            else:
                volunteer = form.cleaned_data["volunteer"]
                count = services.conversations_assign(
                    campaign=campaign,
                    volunteer=volunteer,
                    count=form.cleaned_data["count"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("%(count)s people handed to %(who)s.")
                    % {"count": count, "who": display_name(volunteer)},
                )
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("sms:p2p_detail", campaign_id=campaign.pk)


@crm_required
def p2p_inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every conversation, filtered; staff pick some and hand them to someone else."""
    campaign_id = query_id(request.GET.get("campaign"))
    volunteer_id = query_id(request.GET.get("volunteer"))
    show = request.GET.get("show", "")
    show = show if show in selectors.INBOX_FILTERS else ""
    found = selectors.staff_inbox(
        request.user, campaign_id=campaign_id, show=show, volunteer_id=volunteer_id
    )
    page = page_of(found, number=page_number(request))
    volunteers = selectors.texters()
    if request.method == "POST":
        form = ReassignForm(
            request.POST,
            volunteers=volunteers,
            conversation_ids=[c.pk for c in page.items],
        )
        if form.is_valid():
            moved = services.conversations_reassign(
                conversation_ids=form.cleaned_data["conversations"],
                volunteer=form.cleaned_data["volunteer"],
                actor=request.user,
            )
            messages.success(request, _("%(count)s conversations handed over.") % {"count": moved})
        else:
            messages.error(request, _("Tick the conversations to hand over."))
        return redirect(request.get_full_path())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sms/p2p/inbox.html",
        {
            "page": page,
            "show": show,
            "campaign_id": campaign_id,
            "volunteer_id": volunteer_id,
            "campaigns": selectors.p2p_campaigns_for_staff(request.user).exclude(
                status=P2PCampaign.Status.DRAFT
            ),
            "volunteers": volunteers,
            "query": query.urlencode(),
            "filters": [
                ("", _("All")),
                ("unanswered", _("Waiting for an answer")),
                ("replied", _("Replied")),
                ("opted_out", _("Opted out")),
            ],
        },
    )


# Volunteers


def _quiet_notice(campaign: P2PCampaign) -> str:
    return services.quiet_notice(campaign, timezone.now())


@login_rule
def mission_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_in_scope_or_404(
        P2PCampaign.objects.filter(conversations__volunteer=request.user), pk=campaign_id
    )
    mission = selectors.mission_of(request.user, campaign)
    page = page_of(selectors.conversations_of(request.user, campaign), number=page_number(request))
    return render(
        request,
        "sms/p2p/mission.html",
        {
            "campaign": campaign,
            "mission": mission,
            "page": page,
            "quiet": _quiet_notice(campaign),
        },
    )


@login_rule
def mission_send_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """One person at a time: their opening text, and a button. One tap, one text."""
    campaign = get_in_scope_or_404(
        P2PCampaign.objects.filter(conversations__volunteer=request.user), pk=campaign_id
    )
    if request.method == "POST":
        conversation = selectors.conversation_for(
            request.user, query_id(request.POST.get("c")) or 0
        )
        if conversation is None or conversation.campaign_id != campaign.pk:
            raise Http404
        try:
            sent = services.conversation_open(conversation=conversation, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            name = {"name": conversation.contact}
            if sent is None:
                messages.info(request, _("Already sent to %(name)s.") % name)
            else:
                messages.success(request, _("Sent to %(name)s.") % name)
        return redirect("sms:mission_send", campaign_id=campaign.pk)
    conversation = selectors.next_to_open(request.user, campaign)
    body = ""
    if conversation is not None:
        body = services.opening_text(conversation)
    mission = selectors.mission_of(request.user, campaign)
    return render(
        request,
        "sms/p2p/send.html",
        {
            "campaign": campaign,
            "conversation": conversation,
            "body": body,
            "mission": mission,
            "quiet": _quiet_notice(campaign),
        },
    )


@login_rule
@require_POST
def mission_more_view(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    # Any campaign: the service hands more only to who may ask (a 403 otherwise, as today).
    campaign = get_in_scope_or_404(P2PCampaign.objects.all(), pk=campaign_id)
    try:
        count = services.conversations_assign(
            campaign=campaign, volunteer=request.user, count=campaign.batch_size, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("sms:mission", campaign_id=campaign.pk)
    if not count:
        messages.info(request, _("Everyone has been handed out: thank you!"))
        return redirect("sms:mission", campaign_id=campaign.pk)
    return redirect("sms:mission_send", campaign_id=campaign.pk)


@login_rule
def conversation_view(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    """The thread, the answer box with canned answers, the survey, tags, opt-out."""
    conversation = selectors.conversation_for(request.user, conversation_id)
    if conversation is None:
        raise Http404
    campaign = conversation.campaign
    answers = selectors.answers_of(conversation)
    tags = list(conversation.contact.tags.values_list("name", flat=True))
    reply_form = ReplyForm(initial={"key": uuid.uuid4().hex})
    record_form = RecordForm(campaign=campaign, answers=answers, tags=tags)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reply":
                reply_form = ReplyForm(request.POST)
                if reply_form.is_valid():
                    body = reply_form.cleaned_data["body"]
                    canned = query_id(request.POST.get("canned"))
                    if canned and not body.strip():
                        chosen = campaign.canned.filter(pk=canned).first()
                        body = chosen.body if chosen else ""
                    services.conversation_reply(
                        conversation=conversation,
                        actor=request.user,
                        body=body,
                        key=reply_form.cleaned_data["key"],
                    )
                    return redirect("sms:conversation", conversation_id=conversation.pk)
            elif action == "record":
                record_form = RecordForm(
                    request.POST, campaign=campaign, answers=answers, tags=tags
                )
                if record_form.is_valid():
                    services.conversation_record(
                        conversation=conversation,
                        actor=request.user,
                        answers=record_form.answers(),
                        tags=record_form.cleaned_data.get("tags", []),
                    )
                    messages.success(request, _("Recorded."))
                    return redirect("sms:conversation", conversation_id=conversation.pk)
            elif action == "opt_out":
                services.conversation_opt_out(conversation=conversation, actor=request.user)
                messages.success(request, _("Opted out: this person gets no more texts."))
                return redirect("sms:conversation", conversation_id=conversation.pk)
            elif action == "reassign" and request.user.can_use_crm:
                volunteer = (
                    selectors.texters().filter(pk=query_id(request.POST.get("volunteer"))).first()
                )
                services.conversations_reassign(
                    conversation_ids=[conversation.pk], volunteer=volunteer, actor=request.user
                )
                messages.success(request, _("Handed over."))
                return redirect("sms:conversation", conversation_id=conversation.pk)
            else:
                raise PermissionDenied
        except ApplicationError as error:
            reply_form.add_error(None, error.message)
    return render(
        request,
        "sms/p2p/conversation.html",
        {
            "conversation": conversation,
            "campaign": campaign,
            "thread": selectors.thread(conversation),
            "reply_form": reply_form,
            "record_form": record_form,
            "canned": [
                {
                    "pk": c.pk,
                    "title": c.title,
                    "body": text.render(c.body, services.merge_values(conversation.contact)),
                }
                for c in campaign.canned.all()
            ],
            "quiet": _quiet_notice(campaign),
            "volunteers": selectors.texters() if request.user.can_use_crm else None,
            "holder": conversation.volunteer_id == request.user.pk,
        },
    )
