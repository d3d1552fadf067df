from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from accounts.navigation import register

        register(_("Assessment"), "assessment:index", icon="award", order=70)
