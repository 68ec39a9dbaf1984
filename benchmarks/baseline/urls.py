"""Hecha's own URLs, with the baseline's pages beside them under /baseline/."""

from django.urls import include, path

from benchmarks.baseline import views
from benchmarks.baseline.admin import site
from config.urls import handler400, handler403  # noqa: F401
from config.urls import urlpatterns as hecha

urlpatterns = [
    path("baseline/admin/", site.urls),
    path("baseline/claims/", views.ClaimListView.as_view()),
    path("baseline/claims/<int:pk>/", views.ClaimDetailView.as_view()),
    path("baseline/sources/", views.SourceListView.as_view()),
    path("baseline/sources/<int:pk>/", views.SourceDetailView.as_view()),
    path("baseline/crossrefs/", views.CrossReferenceListView.as_view()),
    path("", include(hecha)),
]
