"""Writes of the core app: a user's own preferences."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.models import UserPreferences


@transaction.atomic
def preferences_set_reading(*, user: AbstractBaseUser, reading: str) -> UserPreferences:
    """Remember how `user` wants article and claim text shown, making their row if need be."""
    preferences = UserPreferences.objects.select_for_update().filter(user=user).first()
    if preferences is None:
        preferences = UserPreferences(user=user)
    preferences.reading = reading
    preferences.full_clean()
    preferences.save()
    # The user may carry their preferences as read before (core.selectors): these now.
    user.preferences = preferences
    return preferences
