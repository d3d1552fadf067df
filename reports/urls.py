from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("quarterly/", views.quarterly, name="quarterly"),
]
