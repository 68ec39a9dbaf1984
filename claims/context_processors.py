from django.utils.functional import SimpleLazyObject

from claims.models import Verdict
from claims.roles import can_read, role_label, role_of
from core.fragments import Fragment, fragment_key


def user_role(request):
    """Give templates the signed-in user's role, shown beside their name, whether they may
    read at all (the menu is left out otherwise), the verdict choices, and the fragment that
    keeps the page header drawn."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role, readable = role_of(user), can_read(user)
    return {
        "user_role": role_label(role),
        "user_can_read": readable,
        "verdict_choices": Verdict.Kind.choices,
        "menu_section": menu_section(request.resolver_match),
        # Looked up only by a page whose template draws the header (the admin's do not).
        "header_fragment": SimpleLazyObject(
            lambda: header_fragment(request, role=role, readable=readable)
        ),
    }


# The pages of the claims app that the menu files under a section of their own, not Claims.
CLAIMS_APP_SECTIONS = {"export_overview": "export", "retracted_list": "retracted"}


def menu_section(match) -> str:
    """Return the section of the menu that the page `match` resolved to is in, for the menu
    to mark: a cross-reference's page, its verdicts and its retraction are under
    Cross-references, though the claims app serves them."""
    if match is None:
        return ""
    if match.app_name == "claims":
        if (match.url_name or "").startswith("crossref_"):
            return "crossrefs"
        return CLAIMS_APP_SECTIONS.get(match.url_name, "claims")
    return match.namespace


def header_fragment(request, *, role: str, readable: bool) -> Fragment:
    """Return the kept header of a signed-in user's page: menu, account, language and script.

    Its key holds what the header shows beyond fragment_key's reader: the account's name and
    `role`, whether it may read (`readable`) and reach the admin, and the section of the site
    the page is in, which the menu marks. Drawing it afresh took a claim's page a millisecond
    or more, a fifth of the page, for the same few dozen links and words on every page.
    """
    user = request.user
    match = request.resolver_match
    state = (
        user.pk,
        user.get_username(),
        user.get_full_name(),
        user.is_staff,
        role,
        readable,
        (match.app_name, match.namespace, match.url_name) if match else None,
    )
    return Fragment.lookup(fragment_key("header", request, *state))
