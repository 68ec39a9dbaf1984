from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.urls import token_urlpatterns
from claims.middleware import role_not_required
from claims.urls import source_urlpatterns
from config import views
from core.views import reading_set

admin.site.site_header = "Hecha 核查"
admin.site.site_title = "Hecha"
admin.site.index_title = "Sources, claims and reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    # An account still waiting for a role can at least log out.
    path("accounts/logout/", role_not_required(auth_views.LogoutView.as_view()), name="logout"),
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
