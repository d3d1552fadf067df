from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self):
        from accounts import navigation

        from . import signals  # noqa: F401
        from .permissions import is_county_manager_request
        from .setup import post_migrate_handler

        post_migrate.connect(post_migrate_handler, sender=self, dispatch_uid="notifications.periodic_tasks")
        navigation.register(_("Messages"), "notifications:inbox", icon="bell", order=80)
        navigation.register(_("Reminder settings"), "notifications:settings", icon="alarm", order=85,
                            visible=is_county_manager_request)
        navigation.register(_("Group robots"), "notifications:webhooks", icon="robot", order=86,
                            visible=is_county_manager_request)
