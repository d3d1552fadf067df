"""Give the demo county's people a made-up mobile number (199 followed by eight digits) and SMS
switched on, for ``make run``'s local SMS gateway; print ``number=name`` pairs, comma-separated,
for the gateway's phone page. Idempotent: a person who has a number keeps it and their choice.
Never run against a real gateway (it refuses when QINGDAN_SMS_URL is not on loopback)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import demo_people, require_local_fake
from notifications.channels.sms import normalise_mobile
from notifications.models import Preference

PREFIX = "199"


class Command(BaseCommand):
    help = "Give the demo people mobile numbers and SMS, for the local SMS gateway (make run)."

    def handle(self, *args, **options):
        require_local_fake(settings.QINGDAN_SMS_URL, "numbers")
        pairs = []
        with transaction.atomic():
            for index, user in enumerate(demo_people(), start=1):
                number = normalise_mobile(user.mobile)
                if not number:
                    number = user.mobile = f"{PREFIX}{index:08d}"
                    user.save(update_fields=["mobile"])
                    Preference.objects.update_or_create(user=user, defaults={"sms_enabled": True})
                name = user.get_full_name()
                pairs.append(f"{number}={name}（{user.username}）" if name else f"{number}={user.username}")
        self.stdout.write(",".join(pairs))
