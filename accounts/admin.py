from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from treebeard.admin import TreeAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from treebeard.forms import movenodeform_factory

from . import audit, lockout
from .models import AccountSecurity, AuditEvent, Membership, OrgUnit, SecurityPolicy, User
from .resources import AccountResource, OrgUnitResource
from .roles import Duty
from .scope import administers, manageable_accounts, securable_accounts

# Imports go through the onboarding page (accounts:import, all or nothing); the admin exports.


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.admin_role)


@admin.register(OrgUnit)
class OrgUnitAdmin(ExportMixin, TreeAdmin):
    form = movenodeform_factory(OrgUnit, exclude=["created_at"])
    list_display = ["name", "code", "kind", "subkind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    resource_classes = [OrgUnitResource]

    # Orgs are never deleted (memberships, tasks and history point at them): deactivate instead.
    def has_delete_permission(self, request, obj=None):
        return False

    @staticmethod
    def _parent_code(pk):
        path = OrgUnit.objects.filter(pk=pk).values_list("path", flat=True).first()
        if not path or len(path) <= OrgUnit.steplen:
            return ""
        return OrgUnit.objects.filter(path=path[: -OrgUnit.steplen]).values_list("code", flat=True).first() or ""

    def save_form(self, request, form, change):
        old_parent = self._parent_code(form.instance.pk) if change else None
        with transaction.atomic():
            obj = super().save_form(request, form, change)
            if not change:
                audit.record("org.created", obj=obj, code=obj.code, kind=obj.kind)
            else:
                fields = [f for f in form.changed_data if not f.startswith("treebeard_")]
                if fields:
                    audit.record("org.changed", obj=obj, fields=fields)
                new_parent = self._parent_code(obj.pk)
                if new_parent != old_parent:
                    audit.record("org.moved", obj=obj, old_parent=old_parent, new_parent=new_parent)
        return obj

    def move_node(self, request):
        """Drag and drop in the tree: audited like services.move_org."""
        node_id = request.POST.get("node_id")
        old_parent = self._parent_code(node_id) if node_id else None
        with transaction.atomic():
            response = super().move_node(request)
            if node_id and OrgUnit.objects.filter(pk=node_id).exists():
                new_parent = self._parent_code(node_id)
                if new_parent != old_parent:
                    audit.record("org.moved", obj=OrgUnit.objects.get(pk=node_id), old_parent=old_parent, new_parent=new_parent)
        return response


@admin.register(User)
class UserAdmin(ExportMixin, BaseUserAdmin):
    resource_classes = [AccountResource]
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "mobile", "is_active", "last_login"]
    sortable_by = ["username", "full_name", "is_active", "last_login"]  # mobile is encrypted at rest
    search_fields = ["username", "full_name"]  # and a whole mobile number, through its digest
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "mobile", "email")}),
        (_("Permissions"), {"fields": ("is_active", "admin_role", "is_superuser", "must_change_password")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "mobile", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    list_filter = ["is_active", "admin_role"]

    def get_queryset(self, request):
        """The accounts the policy lets this administrator edit (not the administrators')."""
        return super().get_queryset(request).filter(pk__in=manageable_accounts(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not administers(request.user, Duty.ASSIGN_ADMIN_ROLES):
            fields += ["admin_role", "is_superuser"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | queryset.filter(pk__in=User.objects.with_mobile(search_term).values("pk"))
        return found, may_have_duplicates

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = [f for f in form.changed_data if f not in ("password", "password1", "password2")]
        if not change:
            audit.record("user.created", obj=obj, target=obj.username)
        elif fields:
            audit.record("user.changed", obj=obj, target=obj.username, fields=fields,
                         **{f: getattr(obj, f) for f in ("is_active", "admin_role", "is_superuser") if f in fields})


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    """The security administrator's page of accounts: unlock after failed sign-ins."""

    list_display = ["username", "full_name", "is_active", "admin_role", "last_login"]
    list_filter = ["is_active", "admin_role"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    fields = readonly_fields = ["username", "full_name", "is_active", "admin_role", "last_login"]
    actions = ["unlock"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=securable_accounts(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock the selected accounts (clear failed sign-ins)"), permissions=["change"])
    def unlock(self, request, queryset):
        with transaction.atomic():
            for user in queryset:
                lockout.completed(user)
                audit.record("auth.unlocked", obj=user, target=user.username)
        messages.success(request, _("Unlocked %(n)d accounts.") % {"n": queryset.count()})


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    """The security administrator's sign-in policy: one row (added once, never deleted)."""

    fields = ["login_failure_limit", "lockout_minutes", "password_max_age_days", "workapp_counts_as_second_factor"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record("security.policy_changed", obj=obj,
                         **{f: getattr(obj, f) for f in self.fields})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "role", "title", "start_date", "end_date"]
    list_filter = ["role", "org__kind"]
    search_fields = ["user__username", "user__full_name", "org__name"]
    autocomplete_fields = ["user", "org"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__in=manageable_accounts(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":  # administrators hold no role in an org
            kwargs["queryset"] = manageable_accounts(request.user).filter(admin_role="")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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


# Second factors are reset in the app (accounts:second_factors, audited); their secrets are nobody's
# to read in the administration site.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
