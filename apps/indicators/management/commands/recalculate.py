"""manage.py recalculate [--all | --indicator SLUG … | --source KIND …]

Recomputes indicator cells from the staged data (restricted ComputedCell rows). It does not run
disclosure control or build a release: an upload's pipeline does that, and so does
``import_source``.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.indicators import registry, services
from apps.core.area_codes import PREFIX_LEVEL


class Command(BaseCommand):
    help = "Recompute indicator cells: every indicator (--all), some (--indicator), or those of a source kind (--source)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--all", action="store_true", help="every registered indicator")
        group.add_argument("--indicator", nargs="+", metavar="SLUG", help="these indicators")
        group.add_argument("--source", nargs="+", metavar="KIND", help="the indicators computed from these source kinds")

    def handle(self, *args, all, indicator, source, **options):
        started = time.monotonic()
        if all:
            definitions = registry.all_indicators()
            written = services.recalculate_all()
        else:
            if indicator:
                unknown = [slug for slug in indicator if slug not in {d.slug for d in registry.all_indicators()}]
                if unknown:
                    known = ", ".join(sorted(d.slug for d in registry.all_indicators()))
                    raise CommandError(f"unknown indicator(s) {', '.join(unknown)}; known: {known}")
                definitions = [registry.get(slug) for slug in indicator]
            else:
                definitions = registry.affected_by(source)
                if not definitions:
                    raise CommandError(f"no indicator is computed from {', '.join(source)}")
            written = services.recalculate(definitions)
        seconds = time.monotonic() - started
        self.stdout.write(f"{len(definitions)} indicators, {written:,} cells in {seconds:.1f} s")
        if options["verbosity"] >= 1:
            self._report(definitions)

    def _report(self, definitions):
        counts = services.cell_counts()
        counts = counts[counts["indicator"].isin([d.slug for d in definitions])]
        if counts.empty:
            return
        levels = list(PREFIX_LEVEL.values())[::-1]
        table = counts.pivot_table(index="per_section", columns="level", values="cells", aggfunc="sum", fill_value=0)
        for per_section, row in table.iterrows():
            label = "per SBI section" if per_section else "all branches"
            parts = ", ".join(f"{level} {int(row.get(level, 0)):,}" for level in levels if level in row.index)
            self.stdout.write(f"  cells {label}: {parts}")
