from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self):
        from accounts import navigation
        from accounts.schedule import install_after_migrate

        from . import signals  # noqa: F401
        from .setup import JOBS

        install_after_migrate(self, *JOBS)
        navigation.register(_("Messages"), "notifications:inbox", icon="bell", order=80, grassroots=True)
        # staff entries: in the Messages drop-down, not the top bar (one line at 1366 px)
        navigation.register(_("Reminder settings"), "notifications:settings", icon="alarm", order=85,
                            action="manage", tree_wide=True, parent="notifications:inbox")
        navigation.register(_("Group robots"), "notifications:webhooks", icon="robot", order=86,
                            action="manage", county_wide=True, parent="notifications:inbox")
