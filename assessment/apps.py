from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from accounts.navigation import register

        from .setup import post_migrate_handler

        post_migrate.connect(post_migrate_handler, sender=self, dispatch_uid="assessment.periodic_tasks")
        # 问责 and 廉政风险点 are reached from the assessment page (the menu is full at 1366 px).
        register(_("Assessment"), "assessment:index", icon="award", order=70)
