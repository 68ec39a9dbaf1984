from django.urls import path

from sources import views

app_name = "sources"

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("new/", views.source_create_view, name="source_create"),
    path("<int:pk>/", views.source_detail, name="source_detail"),
    path("<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("<int:pk>/history/", views.source_history, name="source_history"),
]
