from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _can_see_dashboard(request):
    from accounts.navigation import is_commission, user_roles

    return is_commission(request) or bool(user_roles(request) & {"party_secretary", "discipline_secretary"})


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from accounts import navigation

        navigation.register(_("Dashboard"), "reports:dashboard", icon="bar-chart", order=60, visible=_can_see_dashboard)
        navigation.register(_("Tasks"), "tasks:list", icon="search", order=45, visible=_can_see_dashboard)
