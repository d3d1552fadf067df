from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = _("Duty lists")

    def ready(self):
        from accounts import navigation
        from accounts.schedule import install_after_migrate

        from .schedule import JOBS

        navigation.register(_("Duty lists"), "responsibilities:index", icon="list-check", order=20)
        install_after_migrate(self, *JOBS)
