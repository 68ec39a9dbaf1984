from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("import/", views.job_import, name="job_import"),
    path("export/", views.job_export, name="job_export"),
    path("run/", views.job_run, name="job_run"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/cancel/", views.job_cancel_view, name="job_cancel"),
    path("<int:pk>/retry/", views.job_retry_view, name="job_retry"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
]
