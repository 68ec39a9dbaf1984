from claims.models import Verdict
from claims.roles import can_read, role_label, role_of


def user_role(request):
    """Give templates the signed-in user's role, shown beside their name, whether they may
    read at all (the menu is left out otherwise), and the verdict choices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": role_label(role_of(user)),
        "user_can_read": can_read(user),
        "verdict_choices": Verdict.Kind.choices,
    }
