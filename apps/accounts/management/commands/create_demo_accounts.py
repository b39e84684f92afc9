import base64

from django.core.management.base import BaseCommand

from apps.accounts.services import ensure_superuser, ensure_totp_device

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "zicht-demo-2024"
# The demo's second factor: public on purpose, like the password. Add it to an authenticator
# app, or compute a code with `oathtool --totp -b <base32>`.
DEMO_TOTP_KEY_HEX = "7a69636874206465 6d6f2074776f2066 6163746f72".replace(" ", "")


class Command(BaseCommand):
    help = "Create (or reset) the demo superuser with its second factor. For demos only: its credentials are public."

    def handle(self, *args, **options):
        user, created = ensure_superuser(username=DEMO_USERNAME, password=DEMO_PASSWORD)
        ensure_totp_device(user, key_hex=DEMO_TOTP_KEY_HEX)
        secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode().rstrip("=")
        verb = "created" if created else "reset"
        self.stdout.write(f"Demo superuser {verb}: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        self.stdout.write(f"  second factor (TOTP, demo only): secret {secret}; a code: oathtool --totp -b {secret}")
