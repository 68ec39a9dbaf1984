from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog, set_language

from api.urls import token_urlpatterns
from claims.middleware import role_not_required
from claims.urls import source_urlpatterns
from config import views
from core.views import reading_set

admin.site.site_header = "Hecha 核查"
admin.site.site_title = "Hecha"
admin.site.index_title = _("Sources, claims and reviews")

# The scripts' catalogue changes only when Hecha is deployed again: a browser that has it
# is told so instead of fetching it on every page. Pages ask for it by language
# (?language=zh-hant), so a switch of language never finds the old one.
SERVED_SINCE = timezone.now()
script_catalogue = last_modified(lambda request: SERVED_SINCE)(JavaScriptCatalog.as_view())

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    # An account still waiting for a role can at least log out.
    path("accounts/logout/", role_not_required(auth_views.LogoutView.as_view()), name="logout"),
    # Choosing the page's language needs no account: the login page offers it too.
    path("i18n/setlang/", login_not_required(role_not_required(set_language)), name="set_language"),
    path(
        "i18n/js/",
        login_not_required(role_not_required(script_catalogue)),
        name="javascript_catalog",
    ),
    # Visitors of the public fact-check pages choose a script too, and so may an account
    # still waiting for a role.
    path("reading/", role_not_required(reading_set), name="reading_set"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("account/tokens/", include((token_urlpatterns, "tokens"))),
    path("sources/", include((source_urlpatterns, "sources"))),
    path("compare/", include("compare.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("claims.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
