from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _has_a_role(request):
    from accounts.navigation import user_roles

    return request.user.is_superuser or bool(user_roles(request))


class BindersConfig(AppConfig):
    name = "binders"
    verbose_name = _("Ledger binders")

    def ready(self):
        from accounts import navigation

        navigation.register(_("Ledger binders"), "binders:index", icon="journal-bookmark", order=65, visible=_has_a_role)
