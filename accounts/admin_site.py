"""The administration site: open to the administrators whose role uses it (and the break-glass
superuser), each shown only the models of his role (accounts.backends.AdministratorBackend)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig

from .roles import Duty


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        from .scope import administers

        return administers(request.user, Duty.ADMIN_SITE)


class AdminConfig(BaseAdminConfig):
    default_site = "accounts.admin_site.AdminSite"
