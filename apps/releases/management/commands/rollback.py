from django.core.management.base import BaseCommand, CommandError

from apps.releases import services
from apps.releases.models import Release


class Command(BaseCommand):
    help = "Make an earlier release current again."

    def add_arguments(self, parser):
        parser.add_argument("release", type=int, help="the release number")

    def handle(self, *args, release, **options):
        try:
            services.rollback(release)
        except Release.DoesNotExist:
            raise CommandError(f"no release {release}") from None
        self.stdout.write(self.style.SUCCESS(f"rolled back: release {release} is now current"))
