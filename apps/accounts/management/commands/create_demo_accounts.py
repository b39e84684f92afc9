import base64

from django.core.management.base import BaseCommand

from apps.accounts.demo import DEMO_PASSWORD as DEMO_USERS_PASSWORD
from apps.accounts.demo import create_demo_content
from apps.accounts.services import ensure_superuser, ensure_totp_device

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "zicht-demo-2024"
# The demo's second factor: public on purpose, like the password. Add it to an authenticator
# app, or compute a code with `oathtool --totp -b <base32>`.
DEMO_TOTP_KEY_HEX = "7a69636874206465 6d6f2074776f2066 6163746f72".replace(" ", "")


class Command(BaseCommand):
    help = ("Create (or reset) the demo superuser with its second factor, the demo organisations with one user "
            "per role, and some workspace content. For demos only: every credential is public.")

    def handle(self, *args, **options):
        user, created = ensure_superuser(username=DEMO_USERNAME, password=DEMO_PASSWORD)
        ensure_totp_device(user, key_hex=DEMO_TOTP_KEY_HEX)
        secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode().rstrip("=")
        verb = "created" if created else "reset"
        self.stdout.write(f"Demo superuser {verb}: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        self.stdout.write(f"  second factor (TOTP, demo only): secret {secret}; a code: oathtool --totp -b {secret}")

        report = create_demo_content()
        self.stdout.write(f"Demo users (password {DEMO_USERS_PASSWORD} for all):")
        for spec, totp_secret in report.credentials:
            line = f"  {spec.username} / {DEMO_USERS_PASSWORD}  ({spec.what})"
            if totp_secret:
                line += f"; TOTP secret {totp_secret}"
            self.stdout.write(line)
        for what in report.created:
            self.stdout.write(f"Demo content created: {what}")
        for why in report.skipped:
            self.stdout.write(self.style.WARNING(f"Demo content skipped: {why}"))
