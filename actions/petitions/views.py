"""Petition pages: the public ones (sign, thank you, embed, counter) and the organizers'."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from campaign.counters import window_hit
from campaign.exceptions import ApplicationError
from campaign.http import AuthenticatedHttpRequest, client_ip
from campaign.ownership import get_changeable_or_404, get_in_scope_or_404, may_change
from campaign.permissions import crm_required, public
from contacts import services as contact_services
from contacts.exports import csv_lines, first_channels
from contacts.funnel.charts import activity_chart
from contacts.funnel.selectors import ActivityRow

from . import services, signatures
from .forms import PetitionForm, PetitionPeriodForm, SignForm
from .models import Petition
from .selectors import (
    PUBLIC_SECONDS,
    answers_in_columns,
    petition_public,
    petition_question_labels,
    petition_stats,
    petitions_for_staff,
    signature_count,
    signatures_for_export,
)

TRACKED = ("utm_source", "utm_medium", "utm_campaign")


def _public_petition(slug: str) -> Petition:
    petition = petition_public(slug)
    if petition is None:
        raise Http404
    return petition


def _sign(request: HttpRequest, slug: str, *, embedded: bool) -> HttpResponse:
    if request.method != "POST":
        return _blank_page(request, slug, embedded=embedded)
    petition = _public_petition(slug)
    form = SignForm(request.POST, petition=petition)
    if form.is_bot:  # a bot filled the hidden field: thank it, keep nothing
        return redirect("petitions:thanks", slug=petition.slug)
    status = 400
    limit = settings.PETITION_SIGNATURES_PER_IP_PER_MINUTE
    if window_hit(f"sign:{client_ip(request)}", limit=limit):
        form.add_error(
            None,
            _(
                "Too many signatures from your connection in the last minute. Please try again in a minute: nothing was lost, your signature was not recorded yet."
            ),
        )
        status = 429
    elif form.is_valid():
        data = services.SignatureInput(
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            postal_code=form.cleaned_data["postal_code"],
            consents=form.consents(),
            answers=form.answers(),
            referrer=(request.POST.get("referrer") or request.META.get("HTTP_REFERER", ""))[:500],
            embedded=embedded,
            **{key: request.POST.get(key, "")[:100] for key in TRACKED},
        )
        try:
            services.petition_sign(petition=petition, data=data)
        except ApplicationError as error:  # closed meanwhile: the page says so
            form.add_error(None, error.message)
            status = 200
        else:
            # The same answer whether or not this email had signed: anyone may type anyone's
            # email, and "you had already signed" would tell them a person's opinion.
            url = reverse("petitions:thanks", args=[petition.slug])
            if petition.double_opt_in:
                url += "?email=1"
            return redirect(url)
    context = {
        "petition": petition,
        "form": form,
        "count": signature_count(petition),
        "tracked": {key: request.POST.get(key, "") for key in TRACKED},
        "referrer": request.POST.get("referrer", ""),
        "page_url": request.build_absolute_uri(reverse("petitions:page", args=[petition.slug])),
    }
    template = "petitions/embed.html" if embedded else "petitions/page.html"
    return render(request, template, context, status=status)


# The blank page is the same for every visitor but for a few values; it is rendered once
# per petition, language and host every few seconds (like its counter), with slots that each
# response fills in. A viral petition's page views then cost a cache read.
SLOTS = ("csrf_token", "referrer", "language_next", *TRACKED)


def _slot(name: str) -> str:
    # A tag, passed as safe: text people type reaches the page escaped or sanitized (no
    # unknown tag survives), so it can never carry a slot the visitor's query string fills.
    return mark_safe(f"<terrain-slot-{name}>")  # noqa: S308 - a constant of ours


def _blank_page(request: HttpRequest, slug: str, *, embedded: bool) -> HttpResponse:
    petition = _public_petition(slug)
    stamp = petition.updated_at.timestamp()  # a changed petition is a new page
    site = f"{request.scheme}://{request.get_host()}"  # in the page's absolute links
    key = f"petition-page:{petition.pk}:{stamp}:{int(embedded)}:{get_language()}:{site}"
    html = caches["local"].get(key)
    if html is None:
        context = {
            "petition": petition,
            "form": SignForm(petition=petition),
            "count": signature_count(petition),
            "tracked": {name: _slot(name) for name in TRACKED},
            "page_url": request.build_absolute_uri(reverse("petitions:page", args=[slug])),
            **{name: _slot(name) for name in ("csrf_token", "referrer", "language_next")},
        }
        template = "petitions/embed.html" if embedded else "petitions/page.html"
        html = render_to_string(template, context, request=request)
        caches["local"].set(key, html, timeout=PUBLIC_SECONDS)
    values = {
        "csrf_token": get_token(request),
        "referrer": request.META.get("HTTP_REFERER", ""),
        "language_next": request.get_full_path(),
        **{name: request.GET.get(name, "") for name in TRACKED},
    }
    for name in SLOTS:
        html = html.replace(_slot(name), escape(values[name]))
    return HttpResponse(html)


@public
def petition_page_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _sign(request, slug, embedded=False)


@public
@xframe_options_exempt
def petition_embed_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The form alone, for partner sites to show in an iframe."""
    return _sign(request, slug, embedded=True)


@public
def petition_thanks_view(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _public_petition(slug)
    url = request.build_absolute_uri(reverse("petitions:page", args=[petition.slug]))
    text = quote(f"{petition.title} {url}")
    shares = [
        ("WhatsApp", f"https://wa.me/?text={text}"),
        ("X", f"https://x.com/intent/post?text={text}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={quote(url)}"),
        ("Telegram", f"https://t.me/share/url?url={quote(url)}&text={quote(petition.title)}"),
        (_("Email"), f"mailto:?subject={quote(petition.title)}&body={text}"),
    ]
    return render(
        request,
        "petitions/thanks.html",
        {
            "petition": petition,
            "check_email": request.GET.get("email") == "1",
            "shares": shares,
            "page_url": url,
            "count": signature_count(petition),
        },
    )


@public
def petition_confirm_view(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Double opt-in: the emailed link shows a button; the POST confirms (mail scanners that
    open links do not sign for anyone)."""
    petition = _public_petition(slug)
    context = {"petition": petition, "confirmed": False, "error": ""}
    if request.method == "POST":
        try:
            signatures.petition_confirm(token=token)
        except ApplicationError as error:
            context["error"] = error.message
        else:
            context["confirmed"] = True
    return render(request, "petitions/confirm.html", context)


@public
@never_cache
def csrf_token_view(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token (and its cookie) for a form on a page a cache may have served to
    someone else: petition.js asks for it just before submitting."""
    return JsonResponse({"token": get_token(request)})


@public
def petition_count_view(request: HttpRequest, slug: str) -> JsonResponse:
    petition = _public_petition(slug)
    response = JsonResponse({"count": signature_count(petition), "goal": petition.goal})
    response["Cache-Control"] = "public, max-age=5"
    return response


# Organizers


@crm_required
def petition_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    petitions = petitions_for_staff(request.user).exclude(status=Petition.Status.ARCHIVED)
    archived = petitions_for_staff(request.user).filter(status=Petition.Status.ARCHIVED)
    return render(
        request, "petitions/staff_list.html", {"petitions": petitions, "archived": archived}
    )


def _edit(request: AuthenticatedHttpRequest, petition: Petition | None) -> HttpResponse:
    form = PetitionForm(
        request.POST or None, request.FILES or None, instance=petition, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.petition_save(petition=form.save(commit=False), actor=request.user)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else "image", error.message)
        else:
            form.save_m2m()
            messages.success(request, _("Petition saved."))
            return redirect("petitions:staff_detail", petition_id=saved.pk)
    return render(request, "petitions/staff_form.html", {"form": form, "petition": petition})


@crm_required
def petition_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@crm_required
def petition_edit_view(request: AuthenticatedHttpRequest, petition_id: int) -> HttpResponse:
    petition = get_changeable_or_404(Petition.objects.all(), request.user, pk=petition_id)
    return _edit(request, petition)


@crm_required
def petition_detail_view(request: AuthenticatedHttpRequest, petition_id: int) -> HttpResponse:
    petition = get_in_scope_or_404(petitions_for_staff(request.user), pk=petition_id)
    period_form = PetitionPeriodForm(request.GET or None)
    stats = petition_stats(petition=petition, user=request.user, period=period_form.chosen_period())
    return render(
        request,
        "petitions/staff_detail.html",
        {
            "petition": petition,
            "stats": stats,
            "period_form": period_form,
            "chart": activity_chart(
                ActivityRow("signatures", _("Signatures"), False, stats.series),
                width=600,
                height=160,
            ),
            "can_change": may_change(request.user, petition),
            "public_url": request.build_absolute_uri(
                reverse("petitions:page", args=[petition.slug])
            ),
        },
    )


@require_POST
@crm_required
def petition_status_view(request: AuthenticatedHttpRequest, petition_id: int) -> HttpResponse:
    petition = get_changeable_or_404(Petition.objects.all(), request.user, pk=petition_id)
    try:
        services.petition_set_status(
            petition=petition, status=request.POST.get("status", ""), actor=request.user
        )
    except ApplicationError as error:  # a forged or stale form
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Petition: %(status)s.") % {"status": petition.get_status_display()}
        )
    return redirect("petitions:staff_detail", petition_id=petition.pk)


@crm_required
def petition_export_view(
    request: AuthenticatedHttpRequest, petition_id: int
) -> StreamingHttpResponse:
    """Signers the user may see, as CSV; logged like every export."""
    petition = get_in_scope_or_404(petitions_for_staff(request.user), pk=petition_id)
    signatures = signatures_for_export(petition=petition, user=request.user)
    contact_services.export_log_record(
        actor=request.user,
        what="petition.csv",
        filters={"petition": petition.pk},
        row_count=signatures.count(),
    )

    questions = petition_question_labels(petition)

    def rows():
        for s in signatures.iterator(chunk_size=2000):
            c = s.contact
            email, phone = first_channels(c)
            asked, other = answers_in_columns(s, questions)
            yield [
                s.signed_at.isoformat(),
                c.first_name,
                c.last_name,
                email,
                phone,
                c.postal_code,
                s.utm_source,
                s.utm_medium,
                s.utm_campaign,
                "yes" if s.embedded else "",
                *asked,
                other,
            ]

    header = [
        "signed_at",
        "first_name",
        "last_name",
        "email",
        "phone",
        "postal_code",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "embedded",
        *questions,
        "other_answers",
    ]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        csv_lines(header, rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="signatures-{petition.slug}-{stamp}.csv"'
    )
    return response
