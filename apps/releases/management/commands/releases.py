from django.core.management.base import BaseCommand

from apps.releases.selectors import release_list


class Command(BaseCommand):
    help = "List the releases; the current one is marked with *."

    def handle(self, *args, **options):
        for release in release_list():
            mark = "*" if release.is_current else " "
            changes = release.changes or {}
            self.stdout.write(
                f"{mark} {release.number:>4}  {release.created_at:%Y-%m-%d %H:%M}  {release.get_status_display():<30}"
                f" {release.cell_count:>9,} cells  {release.suppressed_count:>7,} suppressed"
                f"  +{changes.get('added', 0):,} ~{changes.get('changed', 0):,} -{changes.get('removed', 0):,}"
                + ("  synthetic" if release.contains_synthetic else "")
            )
