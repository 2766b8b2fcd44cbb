"""Logging in past the password: the second factor's pages, and a rate-limited password
reset. The second factor is enforced by campaign.middleware.SecondFactorMiddleware."""

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from campaign.http import AuthenticatedHttpRequest, client_ip
from campaign.permissions import login_rule

from . import twofactor
from .forms import CodeForm, LimitedPasswordResetForm
from .passwords import password_reset_allowed_from


def second_factor_exempt(view):
    """Reachable by a session that has not passed the second factor yet."""
    view.second_factor_exempt = True
    return view


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.isprintable() and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def second_factor_redirect(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    """Where a session that must pass the second factor is sent: the code page, or the
    set-up page for someone who has no authenticator yet."""
    name = "two_factor_verify" if twofactor.has_second_factor(request.user) else "two_factor_setup"
    url = reverse(name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)


@second_factor_exempt
@never_cache
@login_rule
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app, or a recovery code."""
    if not twofactor.second_factor_pending(request):
        return redirect(_next(request))
    if not twofactor.has_second_factor(request.user):  # required, and none set up yet
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = twofactor.second_factor_verify(request=request, code=form.cleaned_data["code"])
        except twofactor.Throttled:
            form.add_error(
                None,
                _(
                    "Too many wrong codes: wait a little, then try again (each wrong code doubles the wait)."
                ),
            )
        else:
            if device is None:
                form.add_error("code", _("This code is not right (or was already used)."))
            else:
                if isinstance(device, StaticDevice):
                    left = twofactor.recovery_codes_left(request.user)
                    messages.warning(
                        request,
                        _("Recovery code used; codes left: %(count)d.") % {"count": left},
                    )
                return redirect(_next(request))
    return render(request, "two_factor/verify.html", {"form": form, "next": _next(request)})


@second_factor_exempt
@never_cache
@login_rule
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: its secret as a QR code and in letters, a code from it to
    confirm, then ten recovery codes shown once."""
    user = request.user
    has_authenticator = twofactor.totp_device_of(user) is not None
    # is_verified(): django-otp's OTPMiddleware adds it to the user, unknown to the stubs.
    if has_authenticator and not user.is_verified():  # type: ignore[attr-defined]
        # Only the password so far: replacing the authenticator needs the old one.
        return second_factor_redirect(request)
    if has_authenticator and request.method == "GET" and "replace" not in request.GET:
        return render(
            request,
            "two_factor/status.html",
            {"recovery_codes_left": twofactor.recovery_codes_left(user)},
        )
    device = twofactor.totp_device_start(user=user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = twofactor.totp_device_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            return render(
                request, "two_factor/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", _("This code is not right: check the app's clock, then try again."))
    return render(
        request,
        "two_factor/setup.html",
        {
            "form": form,
            "qr_code": _qr_data_uri(twofactor.provisioning_uri(device)),
            "secret": twofactor.secret_in_groups(device),
            "next": _next(request),
            "required": twofactor.second_factor_required(user),
        },
    )


@never_cache
@require_POST
@login_rule
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ten new recovery codes, shown once; the old ones stop working."""
    if twofactor.totp_device_of(request.user) is None:
        return redirect("two_factor_setup")
    codes = twofactor.recovery_codes_renew(user=request.user)
    return render(request, "two_factor/recovery_codes.html", {"codes": codes, "next": ""})


def _qr_data_uri(uri: str) -> str:
    """The QR code as an SVG image in a data: URI, drawn here (no third party sees the
    secret, no script)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with a limit per address asking (PASSWORD_RESETS_PER_IP_PER_HOUR) and per
    account (the form's). Beyond either, the same page answers and nothing is sent: whether
    an account exists is never told."""

    form_class = LimitedPasswordResetForm

    def form_valid(self, form):
        if not password_reset_allowed_from(client_ip(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
