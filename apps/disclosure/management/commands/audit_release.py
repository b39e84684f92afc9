"""manage.py audit_release [RELEASE]: the attacker's LP audit on a stored release.

Exits 0 when every suppressed cell keeps at least its protection interval and no suppressed
cell carries a value; exits 1 otherwise. The output names tables and counts, never values of
suppressed cells (the intervals of failing cells are for stewards: pass --show-failures).
"""

from django.core.management.base import BaseCommand, CommandError

from apps.disclosure.services import audit_release
from apps.releases.models import Release


class Command(BaseCommand):
    help = "Run the disclosure audit on a release (default: the current one, else the newest); exit 1 on failure."

    def add_arguments(self, parser):
        parser.add_argument("number", nargs="?", type=int)
        parser.add_argument("--show-failures", action="store_true", help="print the intervals of failing cells")

    def handle(self, *args, number, show_failures, **options):
        if number:
            release = Release.objects.filter(number=number).first()
        else:
            release = Release.objects.filter(is_current=True).first() or Release.objects.order_by("-number").first()
        if release is None:
            raise CommandError(f"no release {number}" if number else "there is no release yet")
        result = audit_release(release)
        audited = sum(row["audited"] for row in result["tables"])
        failed = sum(row["failed"] for row in result["tables"])
        self.stdout.write(
            f"release {release.number}: {len(result['tables'])} count tables, {audited} suppressed cells audited, "
            f"{failed} too narrowly bounded, {result['values_in_suppressed_cells']} suppressed cells with a value"
        )
        if result["computed_changed"]:
            self.stdout.write(
                "note: the indicators were recalculated after this release was built; its suppression pattern "
                "was audited against the current counts"
            )
        for row in result["tables"]:
            if row["failed"]:
                self.stdout.write(f"  {row['table']} {row['year']}: {row['failed']} of {row['audited']} fail")
        if show_failures:
            for failure in result["failures"]:
                self.stdout.write(f"  {failure}")
        if not result["passed"]:
            self.stderr.write(self.style.ERROR("audit FAILED: do not publish this release"))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("audit passed"))
