from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Responsibility letters")

    def ready(self):
        from accounts import navigation

        from django.urls import reverse

        from tasks import sources

        from .models import ResponsibilityLetter

        # in the duty lists' drop-down: the top bar stays one line at 1366 px
        navigation.register(_("Responsibility letters"), "letters:index", icon="pen", order=57, action="view",
                            parent="responsibilities:index")
        sources.register(ResponsibilityLetter, _("Open the letter to print it"),
                         lambda pk: reverse("letters:detail", kwargs={"pk": pk}))
