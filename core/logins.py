"""Who is trying to log in, and until when a lockout keeps them out."""

from __future__ import annotations

from datetime import datetime

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """Return the address a login comes from, as the outermost trusted proxy saw it.

    Each of the DJANGO_PROXY_COUNT proxies appends the address it received the request from
    to X-Forwarded-For; entries further left were written by the client and prove nothing.
    """
    if settings.PROXY_COUNT:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def lockout_ends_at(request: HttpRequest, credentials: dict | None) -> datetime:
    """Return when the failed logins that lock this account or address out have expired."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    latest = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address)).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    return (latest or timezone.now()) + get_cool_off(request)
