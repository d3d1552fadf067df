from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self):
        from accounts import navigation
        from accounts.roles import ROLE_ACTIONS, Action
        from accounts.schedule import install_after_migrate

        from . import signals  # noqa: F401
        from .permissions import is_county_manager_request
        from .setup import JOBS

        install_after_migrate(self, *JOBS)
        def county_manager_menu(request):
            # "manage" only comes with a role that carries it (commission staff): users holding
            # none — most users — need no scope query on every page for these two entries.
            if not request.user.is_superuser and not any(
                Action.MANAGE in ROLE_ACTIONS.get(r, ()) for r in navigation.user_roles(request)
            ):
                return False
            return is_county_manager_request(request)

        navigation.register(_("Messages"), "notifications:inbox", icon="bell", order=80)
        # staff entries: in the Messages drop-down, not the top bar (one line at 1366 px)
        navigation.register(_("Reminder settings"), "notifications:settings", icon="alarm", order=85,
                            visible=county_manager_menu, parent="notifications:inbox")
        navigation.register(_("Group robots"), "notifications:webhooks", icon="robot", order=86,
                            visible=county_manager_menu, parent="notifications:inbox")
