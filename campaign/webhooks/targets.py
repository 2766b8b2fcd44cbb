"""Where a webhook may send: public internet addresses only, unless
WEBHOOKS_ALLOW_PRIVATE_TARGETS says otherwise.

A webhook's address is typed by an administrator, but the worker that posts to it sits
inside the campaign's network: without this rule a webhook could reach the database, Redis,
a cloud's metadata service (169.254.169.254) or any other internal service (SSRF). The
address is checked when it is saved (a clear form error) and again at each delivery, after
the name is resolved; the connection then goes to the very address that was checked, so a
name that resolves to a public address once and to 127.0.0.1 the next time (DNS rebinding)
reaches nothing private. Redirects are never followed (see sending.delivery_send).
"""

import ipaddress
import socket
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError, NewConnectionError
from urllib3.util import connection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address inside (NAT64): judged by the address they carry.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Exception):
    """The address leads to a private, local or otherwise non-public network."""


def private_targets_allowed() -> bool:
    return settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS


def address_is_public(ip: IPAddress) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local,
    shared (CGNAT), multicast, reserved, unspecified and documentation ranges, in IPv4 and
    IPv6, including IPv6 forms that carry one of those IPv4 addresses."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not address_is_public(embedded):
            return False
        if ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an address written as such resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"): the address is before it.
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    return addresses


def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """The addresses to connect to for `host`, each checked; TargetRefused if any is not
    public (a name that also resolves to a private address is refused whole)."""
    addresses = resolve(host, port)
    if not private_targets_allowed():
        for ip in addresses:
            if not address_is_public(ip):
                raise TargetRefused(
                    f"{host} resolves to {ip}, which is not a public address "
                    "(WEBHOOKS_ALLOW_PRIVATE_TARGETS is false)"
                )
    return addresses


def validate_webhook_url(url: str) -> None:
    """At save time (form, admin, service): refuse an address that is not http(s) or that
    leads to a non-public network. A name that does not resolve now is accepted: each
    delivery checks it again."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter an http:// or https:// address."), code="scheme")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("This address has an invalid port."), code="port") from None
    try:
        checked_addresses(parts.hostname, port)
    except TargetRefused:
        raise ValidationError(
            _(
                "This address leads to a private or local network: webhooks may only send "
                "to public internet addresses."
            ),
            code="private",
        ) from None
    except (OSError, UnicodeError):
        return


if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker only
    _Connection = HTTPConnection
else:
    _Connection = object


class _CheckedConnectionMixin(_Connection):
    """A urllib3 connection that resolves the host once, checks every address, and connects
    to one of those addresses (TLS still verifies the certificate against the host name)."""

    def _new_conn(self) -> socket.socket:
        try:
            addresses = checked_addresses(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        error: OSError | None = None
        for ip in addresses:
            try:
                return connection.create_connection(
                    (str(ip), self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except OSError as exc:
                error = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")


class CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


class CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def checked_session() -> requests.Session:
    """A session whose connections go only where the rule allows. Proxies from the
    environment are ignored: through a proxy, the address checked would be the proxy's."""
    session = requests.Session()
    session.trust_env = False
    adapter = CheckedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
