"""Two-factor authentication: who must pass it, setting up an authenticator app, recovery
codes, and checking a code. Built on django-otp (its devices, its throttling)."""

import logging
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaign.models import User

RECOVERY_CODE_COUNT = 10
# Who set up, used or failed a second factor: for an administrator reading the logs after
# an incident (no code is ever logged).
log = logging.getLogger("campaign.accounts")


def second_factor_required(user: User) -> bool:
    """Admins and organizers (and anyone who may open the Django admin) must set up an
    authenticator, unless TWO_FACTOR_REQUIRED is off."""
    return settings.TWO_FACTOR_REQUIRED and (user.can_use_crm or user.is_staff)


def second_factor_pending(request: HttpRequest) -> bool:
    """True when this logged-in session must still pass the second factor: staff who must
    have it, and anyone who set up an authenticator (checked on each request, one query, so
    a session opened before it was set up is asked too)."""
    user = request.user
    # is_verified(): django-otp's OTPMiddleware adds it to the user, unknown to the stubs.
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return False
    return second_factor_required(user) or has_second_factor(user)


def has_second_factor(user: User) -> bool:
    """An authenticator or recovery codes, confirmed: one query for both kinds."""
    return (
        User.objects.filter(pk=user.pk)
        .filter(Q(totpdevice__confirmed=True) | Q(staticdevice__confirmed=True))
        .exists()
    )


def totp_device_of(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so a code
    scanned before a reload still works."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator being set up with a code it shows. It replaces any other
    authenticator of the user, the session counts as verified, and fresh recovery codes are
    returned (to be shown once). None when the code is wrong."""
    if not device.verify_token(normalized(code)):
        return None
    TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user=device.user)
    request.session.cycle_key()
    otp_login(request, device)
    log.info("user %s set up an authenticator", device.user_id)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new one-time recovery codes; the previous ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log.info("user %s has %d new recovery codes", user.pk, len(codes))
    return codes


class Throttled(Exception):
    """Too many wrong codes in a row: the next try must wait (django-otp's backoff)."""


def second_factor_verify(*, request: HttpRequest, code: str) -> StaticDevice | TOTPDevice | None:
    """Check a code from the authenticator (six digits) or a recovery code (anything else,
    used up once accepted); on success the session counts as verified. Each wrong code makes
    the next try wait longer: 1, 2, 4, 8… seconds."""
    user = request.user
    code = normalized(code)
    devices = (
        TOTPDevice.objects.filter(user=user, confirmed=True)
        if code.isdigit() and len(code) == 6
        else StaticDevice.objects.filter(user=user, confirmed=True)
    )
    for device in devices:
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            log.warning("user %s: second factor refused, too many wrong codes", user.pk)
            raise Throttled
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            # A new session key for the session that now has both factors.
            request.session.cycle_key()
            otp_login(request, verified)
            if isinstance(verified, StaticDevice):
                log.warning("user %s logged in with a recovery code", user.pk)
            return verified
    log.warning("user %s: wrong second factor code", user.pk)
    return None


def normalized(code: str) -> str:
    """What people type: spaces and dashes between groups, any case."""
    return "".join(ch for ch in code if ch.isalnum()).lower()


def provisioning_uri(device: TOTPDevice) -> str:
    return device.config_url


def secret_in_groups(device: TOTPDevice) -> str:
    """The base32 secret, for typing into an app by hand: groups of four letters."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
