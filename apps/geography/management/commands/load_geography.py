from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.problems import FileRejected
from apps.geography.open_data import OpenDataMissing, load_vintage


class Command(BaseCommand):
    help = (
        "Load the areas and boundaries of one indeling year from DATA_DIR: the area lookup, "
        "gemeente/wijk/buurt boundaries, dissolved provincies and Nederland, web map files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vintage", type=int, default=settings.GEO_DEFAULT_VINTAGE)
        parser.add_argument("--data-dir", type=Path, default=settings.DATA_DIR)

    def handle(self, *args, vintage, data_dir, **options):
        try:
            result = load_vintage(data_dir, vintage)
        except OpenDataMissing as exc:
            raise CommandError(str(exc)) from None
        except FileRejected as exc:
            raise CommandError(f"nothing of the file was imported:\n{exc.summary()}") from None
        for report in result.reports:
            for line in report.lines():
                self.stdout.write(line)
        for item in result.skipped:
            self.stdout.write(f"not found (optional): {item.pattern}; the map says these boundaries are not loaded")
        self.stdout.write(f"dissolved boundaries for: {', '.join(result.dissolved) or 'none'}")
        self.stdout.write(self.style.SUCCESS(f"{result.web_files} web boundary files written"))
