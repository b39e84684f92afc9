"""manage.py generate_synthetic_extracts --out DIR [--seed 2024] [--years 2021-2024] [--kwb FILE]
[--scale sample|national]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.synthetic.generator import (
    DEFAULT_SCALE,
    DEFAULT_SEED,
    EXTRACT_COLUMNS,
    SCALES,
    InputError,
    generate_extracts,
    parse_years,
)

KWB_HOW_TO_GET = (
    "It is the CBS table 'Kerncijfers wijken en buurten 2024' (85984NED, opendata.cbs.nl, "
    "CC BY 4.0) as a CSV with one row per area: regiocode, niveau (gemeente/wijk/buurt), "
    "gemeentecode and the CBS columns AantalInwoners_5, HuishoudensTotaal_29, "
    "MateVanStedelijkheid_120 (optional: GemiddeldeWOZWaardeVanWoningen_39, "
    "OppervlakteLand_116). Put it at {path} or pass --kwb FILE."
)


def default_kwb() -> Path:
    return Path(settings.DATA_DIR) / "cbs" / "kwb_2024_gebieden.csv"


class Command(BaseCommand):
    help = (
        "Write five seeded synthetic record-level extracts (Kadaster, KvK, FIU, OM, gemeentelijke "
        "registraties) in the upload format of docs/extracts.md, driven by the inhabitants, "
        "households and urbanity of every buurt in a CBS KWB file. Every row is marked "
        "synthetisch = ja."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="folder for the five CSV files")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--years", default="2021-2024", help="e.g. 2021-2024, 2023 or 2021,2023"
        )
        parser.add_argument(
            "--kwb",
            type=Path,
            default=None,
            help="KWB CSV (default DATA_DIR/cbs/kwb_2024_gebieden.csv)",
        )
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default=DEFAULT_SCALE,
            help="national: the real yearly volumes of the registers (sources in "
            "apps/synthetic/generator.py); sample: a few percent of them, for quick runs "
            f"(default {DEFAULT_SCALE})",
        )

    def handle(self, *args, out, seed, years, kwb, scale, **options):
        try:
            years = parse_years(years)
        except ValueError as exc:
            raise CommandError(f"--years: {exc}") from None
        kwb = Path(kwb) if kwb else default_kwb()
        if not kwb.is_file():
            raise CommandError(
                f"KWB file not found: {kwb}\n" + KWB_HOW_TO_GET.format(path=default_kwb())
            )
        try:
            result = generate_extracts(kwb, out, seed=seed, years=years, scale=scale)
        except InputError as exc:
            raise CommandError(f"{exc}\n" + KWB_HOW_TO_GET.format(path=default_kwb())) from None
        self.stdout.write(
            f"synthetische demonstratiedata: {scale} scale, seed {seed}, "
            f"years {years[0]}-{years[-1]}, "
            f"{len(result.buurten)} buurten from {kwb.name}"
        )
        for name, path in zip(EXTRACT_COLUMNS, result.paths):
            rows = len(result.tables[name])
            self.stdout.write(f"{path}: {rows:,} rows, {path.stat().st_size:,} bytes")
            if not rows:
                self.stderr.write(
                    f"{path.name} has no rows: the buurten of {kwb.name} have no inhabitants"
                )
        self.stdout.write(self.style.SUCCESS(f"5 extracts written in {result.seconds:.1f} s"))
