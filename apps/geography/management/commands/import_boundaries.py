from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core.problems import FileRejected
from apps.geography import services
from apps.geography.levels import parse_level
from apps.geography.tasks import refresh_derived_boundaries


class Command(BaseCommand):
    help = (
        "Import the boundaries of one level and indeling year from a GeoJSON, TopoJSON or "
        "GeoPackage file. The whole file is checked first; a wrong file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--level", required=True, help="land, provincie, gemeente, wijk or buurt")
        parser.add_argument("--vintage", type=int, default=settings.GEO_DEFAULT_VINTAGE)
        parser.add_argument("--code-field", help="property holding the CBS code (detected by default)")
        parser.add_argument("--name-field", help="property holding the name (detected by default)")
        parser.add_argument("--layer", help="TopoJSON object or GeoPackage layer to read")

    def handle(self, *args, file, level, vintage, code_field, name_field, layer, **options):
        try:
            level = parse_level(level)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            with transaction.atomic():
                report = services.import_boundaries(
                    file, level=level, vintage=vintage, code_field=code_field, name_field=name_field, layer=layer
                )
                # Dissolved parents and web files follow on the worker once the import is committed.
                transaction.on_commit(lambda: refresh_derived_boundaries.delay(vintage))
        except FileRejected as exc:
            raise CommandError(f"{file.name} rejected, nothing imported:\n{exc.summary()}") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("imported; web boundary files are being rebuilt"))
