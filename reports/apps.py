from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from accounts import navigation

        navigation.register(_("Dashboard"), "reports:dashboard", icon="bar-chart", order=60, action="view")
        navigation.register(_("Tasks"), "tasks:list", icon="search", order=45, action="view")
