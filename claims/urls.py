from django.urls import path

from claims.views import (
    bulk,
    claims,
    crossrefs,
    export,
    lookups,
    public,
    retraction,
    reviewers,
    sources,
)

app_name = "claims"

urlpatterns = [
    path("claims/", claims.claim_list, name="claim_list"),
    path("claims/lookup/", claims.claim_lookup, name="claim_lookup"),
    path("claims/bulk/", bulk.claims_bulk, name="claims_bulk"),
    path("claims/lookup/sources/", lookups.source_lookup, name="source_lookup"),
    path("claims/lookup/outlets/", lookups.outlet_lookup, name="outlet_lookup"),
    path("claims/lookup/cited/", lookups.cited_lookup, name="cited_lookup"),
    path("claims/export/", export.claim_export, name="claim_export"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", claims.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/history/", claims.claim_history, name="claim_history"),
    path("claims/<int:pk>/annotate/", claims.claim_annotate, name="claim_annotate"),
    path("claims/<int:pk>/publish/", claims.claim_publish_view, name="claim_publish"),
    path("claims/<int:pk>/unpublish/", claims.claim_unpublish_view, name="claim_unpublish"),
    path(
        "claims/<int:pk>/retract/",
        retraction.record_retract,
        {"kind_name": "claim"},
        name="claim_retract",
    ),
    path(
        "claims/<int:pk>/restore/",
        retraction.record_restore,
        {"kind_name": "claim"},
        name="claim_restore",
    ),
    path(
        "claims/<int:pk>/crossrefs/new/", claims.claim_crossref_create, name="claim_crossref_create"
    ),
    path("sources/<int:source_pk>/claims/new/", claims.claim_create_view, name="claim_create"),
    path(
        "sources/<int:source_pk>/figure-proposal/",
        claims.figure_proposal,
        name="figure_proposal",
    ),
    path("crossrefs/", crossrefs.crossref_list, name="crossref_list"),
    path("crossrefs/<int:pk>/", crossrefs.crossref_detail, name="crossref_detail"),
    path("crossrefs/<int:pk>/annotate/", crossrefs.crossref_annotate, name="crossref_annotate"),
    path(
        "crossrefs/<int:pk>/retract/",
        retraction.record_retract,
        {"kind_name": "crossref"},
        name="crossref_retract",
    ),
    path(
        "crossrefs/<int:pk>/restore/",
        retraction.record_restore,
        {"kind_name": "crossref"},
        name="crossref_restore",
    ),
    # Editors: what was retracted, to restore.
    path("retracted/", retraction.retracted_list, name="retracted_list"),
    path("export/", claims.export_overview, name="export_overview"),
    path("reviewers/<str:username>/", reviewers.reviewer_detail, name="reviewer_detail"),
    # Public: published fact-checks, readable without an account.
    path("fact-checks/", public.fact_check_list, name="fact_check_list"),
    path("fact-checks/<uuid:public_id>/", public.fact_check_detail, name="fact_check_detail"),
]

# The source pages show and move claims, so they live in this app; they keep their own
# namespace, `sources:`, under /sources/ (see config/urls.py).
source_urlpatterns = [
    path("", sources.source_list, name="source_list"),
    path("new/", sources.source_create_view, name="source_create"),
    path("<int:pk>/", sources.source_detail, name="source_detail"),
    path("<int:pk>/edit/", sources.source_edit, name="source_edit"),
    path("<int:pk>/history/", sources.source_history, name="source_history"),
    path("<int:pk>/candidates/", sources.source_candidates, name="source_candidates"),
    path(
        "<int:pk>/retract/",
        retraction.record_retract,
        {"kind_name": "source"},
        name="source_retract",
    ),
    path(
        "<int:pk>/restore/",
        retraction.record_restore,
        {"kind_name": "source"},
        name="source_restore",
    ),
]
