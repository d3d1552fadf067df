from django.contrib import admin

from .models import Adjustment, CategoryCap, ScoringRule


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "late_share", "good_from", "fairly_good_from", "average_from", "measure_late_deduction"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(CategoryCap)
class CategoryCapAdmin(admin.ModelAdmin):
    list_display = ["year", "category", "cap"]


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    """Read-only: entries are added and withdrawn on the assessment pages (audited)."""

    list_display = ["org", "year", "kind", "category", "points", "veto", "is_active"]
    list_filter = ["year", "kind", "category", "is_active"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
