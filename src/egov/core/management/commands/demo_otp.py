"""``manage.py demo_otp <username>``: print the current TOTP code of a demo account.

For the demo only (the demo leaders' authenticator keys are public in the README); refused
when DEBUG is off.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_otp is for the development demo only (DEBUG is off).")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no authenticator enrolled.")
        code = totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
        remaining = device.step - int(time.time()) % device.step
        self.stdout.write(f"{code:0{device.digits}d}  (valid about {remaining}s more)")
