from django.urls import path
from django.views.generic import RedirectView

from compare import views

app_name = "compare"

urlpatterns = [
    # The Compare tab opens on the suggestion queue.
    path("", RedirectView.as_view(pattern_name="compare:suggestion_list"), name="index"),
    path("suggestions/", views.suggestion_queue, name="suggestion_list"),
    path("claims/<int:pk>/suggestions/", views.claim_suggestions, name="claim_suggestions"),
    path("claims/<int:pk>/accept/", views.suggestion_accept_view, name="suggestion_accept"),
    path("claims/<int:pk>/dismiss/", views.suggestion_dismiss_view, name="suggestion_dismiss"),
    path("claims/<int:a>/with/<int:b>/", views.pair_compare, name="pair_compare"),
    path("claims/<int:pk>/lineage/", views.figure_lineage, name="figure_lineage"),
    path("chart/", views.chart, name="chart"),
    path("chart.svg", views.chart_download, name="chart_svg"),
    path("origins/", views.origin_list, name="origin_list"),
    path("origins/<int:pk>/", views.origin_lineage, name="origin_lineage"),
]
