"""`manage.py demo_logins`: print the demo's sign-in details (demo databases only)."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.accounts.models import User
from pcm.demo.caseload import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins: username, role, password and TOTP secret."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Demo logins are printed only when PCM_DEMO=1.")
        users = {user.username: user for user in User.objects.filter(username__in=DEMO_LOGINS)}
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        if settings.REQUIRE_2FA:
            self.stdout.write(
                "Two-factor sign-in is on: add the TOTP secret to an authenticator app, or get "
                "the current code with: bin/demo-code USERNAME"
            )
        self.stdout.write(f"  {'username':<12} {'role':<30} TOTP secret")
        for username in DEMO_LOGINS:
            user = users.get(username)
            if user is None:
                continue
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            secret = base64.b32encode(device.bin_key).decode().rstrip("=") if device else "-"
            role = user.get_role_display()
            self.stdout.write(f"  {username:<12} {role:<30} {secret}")
