"""Reads of the core app: a user's own preferences."""

from django.contrib.auth.models import AbstractBaseUser

from core.models import UserPreferences


def reading_preference(user: AbstractBaseUser) -> str | None:
    """Return the reading script `user` chose, or None if they never chose one."""
    return UserPreferences.objects.filter(user=user).values_list("reading", flat=True).first()
