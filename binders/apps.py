from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BindersConfig(AppConfig):
    name = "binders"
    verbose_name = _("Ledger binders")

    def ready(self):
        from accounts import navigation

        navigation.register(_("Ledger binders"), "binders:index", icon="journal-bookmark", order=65, action="view", grassroots=True)
