from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# The open figures in DATA_DIR, imported through the same path as a steward's upload.
OPEN_FILES = ("cbs/*.csv", "politie/*.csv")


class Command(BaseCommand):
    help = (
        "Upload every open source file in DATA_DIR (CBS Kerncijfers, police crime) and any extra "
        "files given, as one run: preview, import, recalculate, protect, build a release."
    )

    def add_arguments(self, parser):
        parser.add_argument("extra", nargs="*", type=Path, help="more files for the same run (e.g. extracts)")
        parser.add_argument("--data-dir", type=Path, default=settings.DATA_DIR)
        parser.add_argument("--publish", action="store_true", help="publish the release it builds")

    def handle(self, *args, extra, data_dir, publish, **options):
        files = sorted(path for pattern in OPEN_FILES for path in Path(data_dir).glob(pattern))
        if not files:
            raise CommandError(
                f"no open data under {data_dir}: put the CBS Kerncijfers wijken en buurten tables "
                "(opendata.cbs.nl, table 85984NED, as CSV) in cbs/ and the police figures "
                "(dataderden.cbs.nl 47022NED, yearly totals per area) in politie/, or set DATA_DIR"
            )
        call_command("import_source", *[str(path) for path in files + list(extra)], stdout=self.stdout)
        if publish:
            call_command("publish", stdout=self.stdout)
