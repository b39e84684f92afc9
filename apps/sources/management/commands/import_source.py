from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.sources import kinds, selectors, services
from apps.sources.models import ImportRun


class Command(BaseCommand):
    help = (
        "Upload source files the way a steward does in the admin: preview them, and (without "
        "--dry-run) import them, recalculate, protect and build a release."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument("--list", action="store_true", help="list the kinds of source")
        parser.add_argument("--kind", default="", help="the kind (detected when not given)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
        parser.add_argument("--vintage", type=int, help="indeling year of the area codes")
        parser.add_argument("--year", type=int, help="reference year, when the file does not say it")

    def handle(self, *args, files, list, kind, dry_run, vintage, year, **options):
        if list:
            for item in kinds.all_kinds():
                formats = ", ".join(item.formats)
                self.stdout.write(f"{item.slug:<28} {item.shape:<13} {formats:<30} {item.label}")
            return
        if not files:
            raise CommandError("name one or more files, or --list")
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        try:
            run = services.prepare_run([(path, path.name) for path in files], kind=kind, vintage=vintage, year=year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for line in selectors.preview_lines(run):
            self.stdout.write(line)
        if run.status == ImportRun.Status.REJECTED:
            problems = [str(p) for p in selectors.problem_list(run)[:50]]
            more = run.error_count - len(problems)
            raise CommandError(
                "refused, nothing changed:\n" + "\n".join(problems) + (f"\n... and {more} more" if more > 0 else "")
            )
        if dry_run:
            services.cancel_run(run)
            self.stdout.write("dry run: nothing changed")
            return
        services.confirm_run(run)
        run.refresh_from_db()
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"run #{run.pk} failed: {run.error}")
        if run.status == ImportRun.Status.SUCCEEDED:
            release = run.release
            state = "published" if release.is_current else "ready; publish it with `manage.py publish`"
            self.stdout.write(self.style.SUCCESS(f"run #{run.pk} done: release {release.number} {state}"))
        else:
            self.stdout.write(f"run #{run.pk} queued: the worker imports and recalculates")
