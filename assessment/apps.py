from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from accounts.navigation import register
        from accounts.schedule import install_after_migrate

        from .setup import JOBS

        install_after_migrate(self, *JOBS)
        # 问责 and 廉政风险点 are reached from the assessment page (the menu is full at 1366 px).
        register(_("Assessment"), "assessment:index", icon="award", order=70)
