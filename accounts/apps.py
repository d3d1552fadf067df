from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import navigation, policy, schedule, signals  # noqa: F401
        from .scope import onboards, reads_audit, secures_accounts

        schedule.install_after_migrate(self, *schedule.JOBS)

        navigation.register(_("Bulk onboarding"), "accounts:import", icon="person-plus", order=95,
                            rule=onboards)
        navigation.register(_("Audit trail"), "accounts:audit_log", icon="journal-text", order=96,
                            rule=reads_audit)
        navigation.register(_("Second factors"), "accounts:second_factors", icon="shield-lock", order=97,
                            rule=secures_accounts)
