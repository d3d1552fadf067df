from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import duties, rectification, views

app_name = "api"

# ReDoc's bundle inserts <style> elements (styled-components, no nonce) and runs its search in a
# worker made from a blob: this page alone allows those two; its scripts stay 'self' only
# (templates/drf_spectacular/redoc.html), and its outside logo stays refused (offline).
REDOC_POLICY = {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("tasks/", views.TaskListView.as_view(), name="task-list"),
    path("tasks/mine/", views.MyTasksView.as_view(), name="task-mine"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<int:pk>/note/", views.NoteView.as_view(), name="task-note"),
    path("tasks/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="task-evidence"),
    path("tasks/<int:pk>/submit/", views.SubmitView.as_view(), name="task-submit"),
    path("tasks/<int:pk>/approve/", views.ApproveView.as_view(), name="task-approve"),
    path("tasks/<int:pk>/return/", views.ReturnView.as_view(), name="task-return"),
    path("tasks/<int:pk>/extension/", views.ExtensionRequestView.as_view(), name="task-extension"),
    path("extensions/<int:pk>/decide/", views.ExtensionDecideView.as_view(), name="extension-decide"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("orgs/", views.OrgListView.as_view(), name="org-list"),
    path("orgs/<int:pk>/", views.OrgDetailView.as_view(), name="org-detail"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("reports/quarterly/", views.QuarterlyWorkbookView.as_view(), name="quarterly"),
    path("duty-lists/", duties.ChecklistListView.as_view(), name="duty-list-list"),
    path("duty-lists/<int:pk>/", duties.ChecklistDetailView.as_view(), name="duty-list-detail"),
    path("duty-items/<int:pk>/", duties.ChecklistItemView.as_view(), name="duty-item-detail"),
    path("inspections/findings/", rectification.FindingListView.as_view(), name="finding-list"),
    path("inspections/findings/<int:pk>/", rectification.FindingDetailView.as_view(), name="finding-detail"),
    path("inspections/measures/", rectification.MeasureListView.as_view(), name="measure-list"),
    path("inspections/measures/<int:pk>/", rectification.MeasureDetailView.as_view(), name="measure-detail"),
    path("inspections/measures/<int:pk>/progress/", rectification.MeasureProgressView.as_view(), name="measure-progress"),
    path("notifications/", views.InboxView.as_view(), name="inbox"),
    path("notifications/<int:pk>/read/", views.InboxReadView.as_view(), name="inbox-read"),
    path("notifications/read-all/", views.InboxReadAllView.as_view(), name="inbox-read-all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", csp_update(REDOC_POLICY)(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
]
