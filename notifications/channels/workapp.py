"""Personal messages through a work app: an application message to one person (企业微信 /
政务微信 ``message/send`` text card; 钉钉 工作通知 action card) whose link opens the task and
signs the person in from the work app (workapp:start with ``next``). The person must be bound
to a work-app user id (workapp.Binding); the client fetches and refreshes the access token. A
refused secret switches the channel off like SMS (models.ChannelStatus, keyed by the credentials
in force)."""

import hashlib
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from .base import DeliveryError, Message, UserChannel


class WorkAppChannel(UserChannel):
    provider = ""

    def label(self):
        from workapp.providers import label

        return _("%(app)s message") % {"app": label(self.provider)}

    def entry_link(self, message: Message) -> str:
        """The card's link: sign in from the work app, then open ``message.link``."""
        from ..services.messages import absolute

        start = reverse("workapp:start", kwargs={"provider": self.provider})
        return absolute(f"{start}?{urlencode({'next': message.link or reverse('tasks:mine')})}")

    def available(self) -> bool:
        from workapp.providers import configured

        return configured(self.provider)

    def unusable_for(self, user, pref) -> str:
        from workapp.models import Binding

        if not self.available():
            return _("The work app's messages are switched off.")
        if pref is not None and not getattr(pref, f"{self.code}_enabled"):
            return _("The recipient switched these work-app messages off.")
        if not Binding.objects.filter(user_id=user.pk, provider=self.provider).exists():
            return _("The recipient has no bound work-app account.")
        return ""

    def send(self, row, message: Message) -> str:
        from workapp.client import for_provider
        from workapp.models import Binding

        userid = Binding.objects.filter(user_id=row.recipient_id, provider=self.provider).values_list(
            "userid", flat=True).first()
        if not userid:
            raise DeliveryError(_("The recipient has no bound work-app account."), permanent=True)
        url = self.entry_link(message)
        if not url:
            raise DeliveryError(_("QINGDAN_SITE_URL is not set, so the message cannot link to the system."),
                                permanent=True)
        return for_provider(self.provider).send_card(userid, title=message.title, description=message.text, url=url)

    def fingerprint(self) -> str:
        """The credentials in force (API host, corp id / app key, agent id, the secret stored on the
        administration site or else the environment's): a channel switched off for a refused secret
        is on again once any of them changes."""
        from workapp.client import for_provider

        client = for_provider(self.provider)
        material = "\n".join((client.api_url(), client.corp_id(), client.agent_id(), client.secret()))
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    def remedy(self) -> str:
        return _("Ask the security administrator to save the correct secret on the administration site (or set "
                 "the right one in the environment): messages start again at once.")


class WeComAppChannel(WorkAppChannel):
    code = "wecom_app"
    provider = "wecom"


class DingTalkAppChannel(WorkAppChannel):
    code = "dingtalk_app"
    provider = "dingtalk"
