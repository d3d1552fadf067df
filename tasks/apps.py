from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Tasks")

    def ready(self):
        from accounts.navigation import register

        from . import pickers  # noqa: F401  (the task picker)

        register(_("My tasks"), "tasks:mine", icon="check2-square", order=10, action="work", grassroots=True)
        register(_("Review queue"), "tasks:review_queue", icon="clipboard-check", order=20, action="review")
        register(_("Progress"), "tasks:progress", icon="bar-chart-line", order=30, action="view", grassroots=True)
