"""Password reset, rate limited: per address asking, and per account receiving."""

import logging

from django.conf import settings

from campaign.counters import window_hit
from campaign.models import User

HOUR = 3600
log = logging.getLogger("campaign.accounts")


def password_reset_allowed_from(ip: str) -> bool:
    """Count one reset asked from this address; False beyond the hourly limit."""
    over = window_hit(
        f"password-reset:ip:{ip}", limit=settings.PASSWORD_RESETS_PER_IP_PER_HOUR, seconds=HOUR
    )
    if over:
        log.warning("password reset not sent: too many asked from %s this hour", ip)
    return not over


def password_reset_allowed_for(user: User) -> bool:
    """Count one reset email to this account; False beyond the hourly limit."""
    over = window_hit(
        f"password-reset:user:{user.pk}",
        limit=settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR,
        seconds=HOUR,
    )
    if over:
        log.warning("password reset not sent: user %s got enough this hour", user.pk)
    return not over
