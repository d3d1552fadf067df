from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Evidence, ExtensionRequest, Task, TaskEvent


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False
    readonly_fields = ["kind", "actor", "at", "message"]
    fields = readonly_fields


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "org", "period_label", "due_date", "status"]
    list_filter = ["status", "kind", "org__kind", "frequency"]
    search_fields = ["title", "org__name"]
    raw_id_fields = ["org", "assignee", "review_org", "submitted_by", "reviewed_by"]
    inlines = [TaskEventInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "task", "size", "uploaded_by", "uploaded_at", "removed_at"]
    raw_id_fields = ["task", "uploaded_by", "removed_by"]
    readonly_fields = ["file", "sha256", "size", "content_type"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    """Read-mostly: requests are made and decided through tasks.services (timeline + audit)."""

    list_display = ["task", "requested_by", "requested_due", "status", "decided_by", "granted_due"]
    list_filter = ["status"]
    raw_id_fields = ["task", "requested_by", "decided_by"]
    readonly_fields = ["task", "requested_by", "requested_at", "reason", "requested_due", "status", "decided_by",
                       "decided_at", "granted_due", "decision_note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
