from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections and rectification")

    def ready(self):
        from accounts import navigation
        from accounts.schedule import install_after_migrate
        from reports import workbook

        from . import pickers, services, signals  # noqa: F401  (talk pickers; team grant provider; approval → finding closed)
        from .ledger import quarterly_sheet
        from .setup import JOBS

        workbook.register_sheet("整改台账", quarterly_sheet, order=40)
        install_after_migrate(self, *JOBS)
        navigation.register(_("Inspections"), "inspections:index", icon="binoculars", order=50)
        # documents and talks: in the Inspections drop-down (a village officer's short menu lists
        # documents on its own)
        navigation.register(_("Documents"), "inspections:documents", icon="envelope-paper", order=55, grassroots=True,
                            parent="inspections:index")
        navigation.register(_("Talks"), "inspections:talks", icon="chat-square-text", order=56, action="sensitive",
                            parent="inspections:index")
