from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _holds(*roles):
    def visible(request):
        from accounts.navigation import user_roles

        return request.user.is_superuser or bool(user_roles(request) & set(roles))

    return visible


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Tasks")

    def ready(self):
        from accounts.navigation import register
        from accounts.roles import Role

        register(_("My tasks"), "tasks:mine", icon="check2-square", order=10,
                 visible=_holds(Role.PARTY_SECRETARY, Role.DISCIPLINE_SECRETARY, Role.MEMBER, Role.CLERK))
        register(_("Review queue"), "tasks:review_queue", icon="clipboard-check", order=20,
                 visible=_holds(Role.DISCIPLINE_SECRETARY, Role.COMMISSION_STAFF))
        register(_("Progress"), "tasks:progress", icon="bar-chart-line", order=30,
                 visible=_holds(Role.PARTY_SECRETARY, Role.DISCIPLINE_SECRETARY, Role.COMMISSION_STAFF))
