from claims.models import Verdict
from claims.roles import role_of


def user_role(request):
    """Give templates the signed-in user's role, shown beside their name, and verdict choices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_role": role_of(user), "verdict_choices": Verdict.Kind.choices}
