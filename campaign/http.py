"""Small helpers about the request itself."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
