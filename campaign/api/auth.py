"""How the API knows who calls: a token in the `OSDI-API-Token` header (as OSDI clients send
it) or in `Authorization: Token …`; and how often each token may call. Who may call what
is in permissions.py."""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from campaign.http import client_ip

from .tokens import api_token_for_key


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        key = request.META.get("HTTP_OSDI_API_TOKEN", "").strip()
        if not key:
            parts = get_authorization_header(request).split()
            if not parts or parts[0].lower() != self.keyword.lower().encode():
                return None
            if len(parts) != 2:
                raise exceptions.AuthenticationFailed("Authorization: Token <key>, one key.")
            key = parts[1].decode(errors="replace")
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("This API token is unknown or revoked.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenRateThrottle(SimpleRateThrottle):
    """Calls per token (API_RATE_LIMIT, e.g. "600/min"); a session is counted per user, a
    caller with neither per address, as the trusted proxy saw it (campaign.http.client_ip:
    DRF's own reading takes X-Forwarded-For whole, which a caller writes as they please)."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if request.auth is not None and hasattr(request.auth, "pk"):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


from . import schema  # noqa: E402, F401  (the token's security scheme, for the OpenAPI schema)
