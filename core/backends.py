"""How Hecha finds the signed-in user of a request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's ModelBackend, which reads a signed-in user's preferences with the user.

    Every page asks for the reader's choice of script (core.reading); read in the same query
    as the user, it costs a page no query of its own. A user who never chose has none, and
    asking for it then costs nothing either.
    """

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("preferences")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
