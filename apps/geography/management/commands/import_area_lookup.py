from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.problems import FileRejected
from apps.geography import services


class Command(BaseCommand):
    help = "Import the buurt→wijk→gemeente→provincie lookup (CSV) of one indeling year."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--vintage", type=int, default=settings.GEO_DEFAULT_VINTAGE)

    def handle(self, *args, file, vintage, **options):
        try:
            report = services.import_area_lookup(file, vintage=vintage)
        except FileRejected as exc:
            raise CommandError(f"{file.name} rejected, nothing imported:\n{exc.summary()}") from None
        for line in report.lines():
            self.stdout.write(line)
