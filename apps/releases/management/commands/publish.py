from django.core.management.base import BaseCommand, CommandError

from apps.releases import services
from apps.releases.models import Release


class Command(BaseCommand):
    help = "Publish a release (default: the newest one): it becomes the current release at once."

    def add_arguments(self, parser):
        parser.add_argument("number", nargs="?", type=int)

    def handle(self, *args, number, **options):
        release = Release.objects.filter(number=number).first() if number else Release.objects.order_by("-number").first()
        if release is None:
            raise CommandError(f"no release {number}" if number else "there is no release yet")
        services.publish(release)
        self.stdout.write(self.style.SUCCESS(f"release {release.number} is now current"))
