"""My tasks, a task's page, evidence, review queue, extensions, progress."""

from django.urls import path

from . import views

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("progress/", views.progress, name="progress"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/approve/", views.review_batch, name="review_batch"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/work/", views.work, name="work"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extension/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/view/", views.evidence_view, name="evidence_view"),
    path("evidence/<int:pk>/thumb/", views.evidence_thumb, name="evidence_thumb"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
]
