from django.contrib import admin

from .models import InboxMessage, Outbox, Preference, ReminderSettings, SweepState, Webhook


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "due_soon_days", "overdue_repeat_days", "escalate_after_days", "updated_at")
    readonly_fields = ("version", "updated_at", "updated_by")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "channel", "state", "attempts", "due_at", "sent_at")
    list_filter = ("state", "kind", "channel")
    search_fields = ("key",)
    raw_id_fields = ("task", "recipient", "webhook")
    readonly_fields = [f.name for f in Outbox._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "outbox", "task")
    readonly_fields = [f.name for f in InboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """The URL and secret are never displayed: edit them on the group robots page."""

    list_display = ("org", "kind", "status", "masked_url", "last_success_at")
    list_filter = ("kind", "status")
    exclude = ("url", "secret")
    readonly_fields = ("org", "kind", "masked_url", "status", "disabled_reason", "disabled_at", "last_success_at",
                       "last_error", "created_by", "created_at", "updated_at", "version")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "muted_kinds", "bounced_email")
    raw_id_fields = ("user",)


admin.site.register(SweepState)
