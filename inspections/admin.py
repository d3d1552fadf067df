from django.contrib import admin

from .models import Document, DocumentRecipient, EscalationDocument, Finding, FindingCategory, Inspection, Measure, Round, Talk


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FindingCategory)
class FindingCategoryAdmin(NoDelete):
    list_display = ["name", "seq", "is_active"]
    list_editable = ["seq", "is_active"]


@admin.register(Round)
class RoundAdmin(NoDelete):
    list_display = ["name", "year", "kind", "start_date", "end_date"]


@admin.register(Inspection)
class InspectionAdmin(NoDelete):
    list_display = ["round", "org", "leader", "window_start", "window_end", "status"]
    list_filter = ["round", "status"]
    readonly_fields = ["round", "org", "leader", "members", "window_start", "window_end"]


@admin.register(Finding)
class FindingAdmin(NoDelete):
    list_display = ["inspection", "seq", "category", "severity", "status"]
    list_filter = ["status", "category", "source"]
    search_fields = ["description"]


@admin.register(Measure)
class MeasureAdmin(NoDelete):
    list_display = ["finding", "org", "deadline", "type"]
    readonly_fields = ["task"]


@admin.register(EscalationDocument)
class EscalationAdmin(NoDelete):
    list_display = ["measure", "level", "number", "issued_on"]

    def has_change_permission(self, request, obj=None):
        return False


class RecipientInline(admin.TabularInline):
    model = DocumentRecipient
    extra = 0
    readonly_fields = ["org", "task"]
    can_delete = False


@admin.register(Document)
class DocumentAdmin(NoDelete):
    list_display = ["title", "kind", "issued_on", "reply_due"]
    inlines = [RecipientInline]


@admin.register(Talk)
class TalkAdmin(NoDelete):
    """Talk records are sensitive: the admin lists them without the topics."""

    list_display = ["kind", "talker_name", "org", "held_on"]
    exclude = ["topics", "record_file"]
