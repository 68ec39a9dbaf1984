"""Writes of API tokens: the token page and the admin call these."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, token_digest

# Marks a string as a Hecha token, so that secret scanners and people reading a leaked
# configuration file can tell what it is.
TOKEN_PREFIX = "hecha_"
# A token's last use is written at most this often: a tool polling the API every second
# should not cost a write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, name: str, scope: str) -> tuple[ApiToken, str]:
    """Make a token for `user` and return it with its secret, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), scope=scope, digest=token_digest(secret))
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: AbstractBaseUser) -> ApiToken:
    """Revoke a token at once, recording who did; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_mark_used(*, token: ApiToken, at: datetime | None = None) -> None:
    """Record that a token was just used, unless that was already recorded a moment ago."""
    at = at or timezone.now()
    if token.last_used_at is not None and at - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
    token.last_used_at = at
