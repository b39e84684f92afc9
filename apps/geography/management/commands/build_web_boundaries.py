from django.conf import settings
from django.core.management.base import BaseCommand

from apps.geography import services, webfiles


class Command(BaseCommand):
    help = "Dissolve missing provincie/Nederland boundaries and rebuild the web map files."

    def add_arguments(self, parser):
        parser.add_argument("--vintage", type=int, default=settings.GEO_DEFAULT_VINTAGE)

    def handle(self, *args, vintage, **options):
        services.dissolve_missing_boundaries(vintage)
        for item in webfiles.build_web_boundary_files(vintage):
            self.stdout.write(f"{item.file_name}: {item.feature_count} areas, {item.gzip_bytes} bytes gzipped")
