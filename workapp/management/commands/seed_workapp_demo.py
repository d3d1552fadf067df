"""Bind the demo county's people to work-app user ids equal to their user names (both providers),
for ``make run``'s local fakes; print the user ids, comma-separated. Idempotent; never run against
a real corp (it refuses when a provider points at a non-loopback host)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import demo_people, require_local_fake
from workapp.models import Binding
from workapp.providers import Provider

class Command(BaseCommand):
    help = "Bind the demo people to the local work-app fakes (user id = user name)."

    def handle(self, *args, **options):
        for url in (settings.QINGDAN_WECOM_API_URL, settings.QINGDAN_DINGTALK_API_URL):
            require_local_fake(url, "bindings")
        people = demo_people().values_list("pk", "username")
        userids = []
        for user_id, username in people:
            userids.append(username)
            for provider in Provider.values:
                if not Binding.objects.filter(user_id=user_id, provider=provider).exists():
                    Binding.objects.get_or_create(provider=provider, userid=username,
                                                  defaults={"user_id": user_id, "via": Binding.Via.IMPORT})
        self.stdout.write(",".join(userids))
