"""manage.py demo_totp <username> — the six-digit code a demo account's authenticator app would
show now (the demo's accounts are enrolled without a phone). Refused in production mode."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp is refused in production mode: codes come from the person's phone.")
        device = TOTPDevice.objects.filter(user__username__iexact=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username}: no authenticator is set up for this account.")
        self.stdout.write(twofactor.current_code(device))
