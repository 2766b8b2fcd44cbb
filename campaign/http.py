"""Small helpers about the request itself."""

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request

    from campaign.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        """A request behind a login rule (crm_required, login_rule...): its user is a User."""

        user: User

    class AuthenticatedRequest(Request):
        """An API request its permission classes only let in with a user (StaffOnly...)."""

        user: User

else:
    from rest_framework.request import Request

    # For the type checker only: at run time, the plain request classes.
    AuthenticatedHttpRequest = HttpRequest
    AuthenticatedRequest = Request


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, as rate limits count it.

    Behind reverse proxies, from the header they set (CLIENT_IP_HEADER), read from the
    right: each trusted proxy appends the address it saw, so with TRUSTED_PROXY_HOPS proxies
    the visitor's address is that many entries from the end. Whatever stands further left
    was written by the visitor (anyone may send "X-Forwarded-For: 1.2.3.4") and is never
    believed: reading the left-most entry would let a bot pick a new address per request
    and walk past every rate limit.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.CLIENT_IP_HEADER:
        return remote
    entries = [e.strip() for e in request.META.get(settings.CLIENT_IP_HEADER, "").split(",")]
    entries = [e for e in entries if e]
    if not entries:
        return remote
    hops = settings.TRUSTED_PROXY_HOPS
    # Fewer entries than trusted proxies: the left-most is the nearest to the visitor that
    # any proxy wrote (a proxy that does not append, like X-Real-IP, writes just one).
    candidate = entries[-min(hops, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Not an address (a misconfigured proxy, or a forged single-value header): the
        # connection's address is at least one nobody can choose.
        return remote


# The largest id any table here holds (a signed 32-bit integer on PostgreSQL's `integer`;
# SQLite's are 64-bit): a larger number in a link is no id, and would overflow the query.
MAX_ID = 2_147_483_647


def query_id(value: str | None) -> int | None:
    """An id read from a query string or form: a whole number from 1 to MAX_ID, else None
    ("abc", a NUL byte, twenty digits: a hand-typed or hostile link names nothing)."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
