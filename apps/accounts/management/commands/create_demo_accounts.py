from django.core.management.base import BaseCommand

from apps.accounts.services import ensure_superuser

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "zicht-demo-2024"


class Command(BaseCommand):
    help = "Create (or reset) the demo superuser. For demos only: its credentials are public."

    def handle(self, *args, **options):
        _, created = ensure_superuser(username=DEMO_USERNAME, password=DEMO_PASSWORD)
        verb = "created" if created else "reset"
        self.stdout.write(f"Demo superuser {verb}: {DEMO_USERNAME} / {DEMO_PASSWORD}")
