from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/sign/", views.inspection_signoff, name="inspection_signoff"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("<int:pk>/findings/import/", views.finding_import, name="finding_import"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="measure_progress"),
    path("measures/<int:pk>/close/", views.measure_close, name="measure_close"),
    path("measures/<int:pk>/verify/", views.measure_verify, name="measure_verify"),
    path("escalations/<int:pk>/", views.escalation_print, name="escalation_print"),
    path("escalations/<int:pk>/docx/", views.escalation_docx, name="escalation_docx"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("documents/", views.documents, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/docx/", views.document_docx, name="document_docx"),
    path("documents/<int:pk>/attachment/", views.document_attachment, name="document_attachment"),
    path("documents/replies/<int:pk>/", views.document_reply, name="document_reply"),
    path("talks/", views.talks, name="talks"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/file/", views.talk_file, name="talk_file"),
]
