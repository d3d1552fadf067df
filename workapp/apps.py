from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkappConfig(AppConfig):
    name = "workapp"
    verbose_name = _("Work apps")
