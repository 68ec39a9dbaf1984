"""Reads of the core app: a user's own preferences."""

from django.contrib.auth.models import AbstractBaseUser

from core.models import UserPreferences


def reading_preference(user: AbstractBaseUser) -> str | None:
    """Return the reading script `user` chose, or None if they never chose one.

    A request's user comes with their preferences (core.backends.UserBackend), else they
    are read once and kept on the user.
    """
    try:
        return user.preferences.reading
    except UserPreferences.DoesNotExist:
        return None
