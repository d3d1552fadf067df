from django.contrib import admin

from .models import Binder


@admin.register(Binder)
class BinderAdmin(admin.ModelAdmin):
    list_display = ("org", "year", "quarter", "subtree", "status", "pages", "files_included", "requested_by", "created_at")
    list_filter = ("status", "year", "subtree")
    search_fields = ("org__name", "org__code")
    readonly_fields = [f.name for f in Binder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
