"""The API under /api/v1/, and the API tokens page under /account/tokens/."""

from django.urls import path
from rest_framework import routers

from api.views import resources, tokens

app_name = "api"


class Router(routers.DefaultRouter):
    APIRootView = resources.ApiRootView
    include_format_suffixes = False


router = Router(use_regex_path=False)
router.register("claims", resources.ClaimViewSet, basename="claim")
router.register("sources", resources.SourceViewSet, basename="source")
router.register("crossrefs", resources.CrossReferenceViewSet, basename="crossref")
router.register("verdicts", resources.VerdictViewSet, basename="verdict")

urlpatterns = [
    path("claims/changes/", resources.ClaimChangesView.as_view(), name="claim_changes"),
    path("schema/", resources.SchemaView.as_view(), name="schema"),
    path("docs/", resources.DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]

# Pages of the site, for people: each user makes and revokes their own tokens here.
token_urlpatterns = [
    path("", tokens.token_list, name="token_list"),
    path("<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
