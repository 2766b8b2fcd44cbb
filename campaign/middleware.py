"""French first: the interface is in LANGUAGE_CODE unless the person chose another language."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from .accounts.twofactor import second_factor_pending
from .accounts.views import second_factor_redirect
from .permissions import access_rule_of


class ChosenLanguageMiddleware:
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Campaign staff often run English-language browsers; the campaign works in French.
    The language switcher stores a choice in the language cookie, which wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards: a thread serving the next
        # request, or running a task, does not inherit this person's choice.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Scripts come only from this site's own files: no inline script, no event attribute, no
# eval. Styles may be inline (a few computed colours and widths). Map tiles come from
# OpenStreetMap.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://tile.openstreetmap.org https://*.tile.openstreetmap.org",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy header on every answer that has none of its own. A page
    made to be embedded elsewhere (a petition's widget) is framed by any site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            policy = CONTENT_SECURITY_POLICY
            if getattr(response, "xframe_options_exempt", False):
                policy = policy.replace("frame-ancestors 'self'", "frame-ancestors *")
            response.headers["Content-Security-Policy"] = policy
        return response


class SecondFactorMiddleware:
    """A session that must still pass the second factor (see campaign.accounts.twofactor)
    reaches only the code and set-up pages, logging in and out: any other page sends it there,
    and on public pages and the API it counts as a visitor (an API token still works)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "second_factor_exempt", False):
            return None
        if not second_factor_pending(request):
            return None
        if access_rule_of(view_func) in ("public", "signed", "api"):
            request.user = AnonymousUser()
            return None
        return second_factor_redirect(request)
