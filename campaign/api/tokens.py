"""API tokens: made, found and revoked. The key is `trn_` and 43 random characters; only
its SHA-256 digest is stored."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from campaign.models import ApiToken, User

PREFIX = "trn_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the key, which is never shown again."""
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[:10], digest=_digest(key)
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token this key opens, its user active; None otherwise. Notes its use (at
    most once a minute, not a write per request)."""
    if not key.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
