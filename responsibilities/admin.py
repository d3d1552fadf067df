"""Admin views for the superuser. County staff edit lists in the app (services,
audit, snapshots); here nothing users create can be deleted."""

from django.contrib import admin

from .models import Checklist, ChecklistItem, EventDispatch, Holiday, ItemOptOut


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistItemInline(NoDeleteMixin, admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["seq", "title", "category", "frequency", "due_rule", "due_days", "due_month_day", "points", "is_active"]


@admin.register(Checklist)
class ChecklistAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "year", "level", "bearer", "status", "version"]
    list_filter = ["year", "level", "status"]
    readonly_fields = ["status", "published_at", "published_by", "version"]
    inlines = [ChecklistItemInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "date"]
    list_filter = ["year"]


@admin.register(ItemOptOut)
class ItemOptOutAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["item", "org", "reason", "is_active", "created_by", "created_at", "ended_at"]
    list_filter = ["is_active"]
    raw_id_fields = ["item", "org"]
    readonly_fields = ["created_by", "ended_by", "ended_at"]


@admin.register(EventDispatch)
class EventDispatchAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "dispatched_on", "due_date", "task_count", "created_by"]
    readonly_fields = ["item", "title", "note", "dispatched_on", "due_date", "token", "task_count", "created_by"]

    def has_add_permission(self, request):
        return False
