from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("archive/", views.archive_start, name="archive_start"),
    path("archive/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("archive/<int:pk>/retry/", views.archive_retry, name="archive_retry"),
    path("archive/<int:pk>/download/", views.archive_download, name="archive_download"),
    path("assessment.xlsx", views.assessment_export, name="assessment_export"),
]
