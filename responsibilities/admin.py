from django.contrib import admin

from .models import Checklist, ChecklistItem, Holiday, ItemOptOut


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["seq", "title", "category", "frequency", "due_rule", "due_days", "due_month_day", "points", "is_active"]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "level", "bearer", "status", "version"]
    list_filter = ["year", "level", "status"]
    inlines = [ChecklistItemInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "date"]
    list_filter = ["year"]


@admin.register(ItemOptOut)
class ItemOptOutAdmin(admin.ModelAdmin):
    list_display = ["item", "org", "reason", "created_by", "created_at"]
    raw_id_fields = ["item", "org"]
