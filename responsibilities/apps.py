from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = _("Duty lists")

    def ready(self):
        from accounts import navigation

        from .schedule import ensure_generation_schedule

        navigation.register(_("Duty lists"), "responsibilities:index", icon="list-check", order=20)
        post_migrate.connect(ensure_generation_schedule, sender=self, dispatch_uid="qingdan_generation_schedule")
