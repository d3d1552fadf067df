from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from . import audit
from .models import AuditEvent, Membership, OrgUnit, User
from .resources import AccountResource, OrgUnitResource

# Imports go through the onboarding page (accounts:import, all or nothing); the admin exports.


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ExportMixin, TreeAdmin):
    form = movenodeform_factory(OrgUnit, exclude=["created_at"])
    list_display = ["name", "code", "kind", "subkind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    resource_classes = [OrgUnitResource]


@admin.register(User)
class UserAdmin(ExportMixin, BaseUserAdmin):
    resource_classes = [AccountResource]
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "mobile", "is_active", "last_login"]
    search_fields = ["username", "full_name", "mobile"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "mobile", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "must_change_password")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "mobile", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    actions = ["unlock"]

    @admin.action(description=_("Unlock the selected accounts (clear failed sign-ins)"))
    def unlock(self, request, queryset):
        for user in queryset:
            axes_reset(username=user.username.lower())
            audit.record("auth.unlocked", obj=user, target=user.username)
        messages.success(request, _("Unlocked %(n)d accounts.") % {"n": queryset.count()})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "role", "title", "start_date", "end_date"]
    list_filter = ["role", "org__kind"]
    search_fields = ["user__username", "user__full_name", "org__name"]
    autocomplete_fields = ["user", "org"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_repr", "result", "ip", "request_id"]
    list_filter = ["action", "result"]
    search_fields = ["actor_name", "object_repr", "request_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
