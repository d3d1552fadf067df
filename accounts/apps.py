from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import navigation, signals  # noqa: F401
        from .schedule import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="qingdan_accounts_schedule")

        navigation.register(_("Bulk onboarding"), "accounts:import", icon="person-plus", order=95,
                            visible=lambda request: request.user.is_staff)
