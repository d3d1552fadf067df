from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from accounts.navigation import register

        from accounts.scope import visible_to

        register(_("Assessment"), "assessment:index", icon="award", order=70)
        register(_("Accountability"), "assessment:accountability", icon="shield-exclamation", order=72,
                 visible=lambda request: visible_to(request.user, "sensitive").exists())
        register(_("Integrity risks"), "assessment:risks", icon="exclamation-diamond", order=74)
