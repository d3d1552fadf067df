from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules, name="rules"),
    path("adjustments/", views.adjustments, name="adjustments"),
    path("adjustments/new/", views.adjustment_create, name="adjustment_create"),
    path("adjustments/<int:pk>/withdraw/", views.adjustment_withdraw, name="adjustment_withdraw"),
    path("adjustments/<int:pk>/evidence/", views.adjustment_evidence, name="adjustment_evidence"),
]

from . import register_views  # noqa: E402

urlpatterns += [
    path("accountability/", register_views.accountability_list, name="accountability"),
    path("accountability/new/", register_views.accountability_create, name="accountability_create"),
    path("risks/", register_views.risk_list, name="risks"),
    path("risks/new/", register_views.risk_create, name="risk_create"),
]
