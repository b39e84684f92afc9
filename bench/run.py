"""`make bench`: how long importing all 2024 boundaries takes and how big the web map files are.

Runs against a fresh SpatiaLite database in a temporary folder (or BENCH_DATABASE_URL, e.g. a
PostGIS database that may be emptied), so it never touches the demo's data.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="zicht-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"spatialite:///{WORK / 'bench.sqlite3'}")
os.environ["GEO_WEB_ROOT"] = str(WORK / "geo")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from apps.geography import services, webfiles  # noqa: E402
from apps.geography.levels import NEDERLAND_CODE, Level  # noqa: E402
from apps.geography.models import Area, WebBoundaryFile  # noqa: E402
from apps.geography.open_data import open_data_files  # noqa: E402

VINTAGE = int(os.environ.get("VINTAGE", "2024"))


def timed(label, rows, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    rows.append((label, elapsed))
    return result


def main() -> int:
    call_command("migrate", verbosity=0)
    Area.objects.filter(vintage=VINTAGE).update(parent=None)
    Area.objects.filter(vintage=VINTAGE).delete()
    data_dir = Path(settings.DATA_DIR)
    rows: list[tuple[str, float]] = []
    for item in open_data_files(VINTAGE):
        for path in sorted(data_dir.glob(item.pattern)):
            if item.level is None:
                timed(f"lookup {path.name}", rows, lambda p=path: services.import_area_lookup(p, vintage=VINTAGE))
            else:
                timed(
                    f"{item.level.value} {path.name}",
                    rows,
                    lambda p=path, level=item.level: services.import_boundaries(p, level=level, vintage=VINTAGE),
                )
    timed("dissolve provincies + Nederland", rows, lambda: services.dissolve_missing_boundaries(VINTAGE))
    timed("simplify + write web files", rows, lambda: webfiles.build_web_boundary_files(VINTAGE))
    timed("re-import lookup (idempotent)", rows, lambda: services.import_area_lookup(
        data_dir / f"reference/gebiedsindeling_{VINTAGE}.csv", vintage=VINTAGE))

    print(f"Zicht bench, indeling {VINTAGE}, database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"areas: {Area.objects.filter(vintage=VINTAGE).count()}, "
          f"with boundary: {Area.objects.filter(vintage=VINTAGE).exclude(geometry_source='').count()}")
    print("\nimport time")
    for label, seconds in rows:
        print(f"  {label:<45} {seconds:8.2f} s")
    total = sum(seconds for label, seconds in rows if not label.startswith("re-import"))
    print(f"  {'total (all 2024 boundaries, web files)':<45} {total:8.2f} s")

    print("\nweb boundary files (bytes; target: national gemeenten <= 150 KB gzipped, buurten per gemeente < 60 KB)")
    files = WebBoundaryFile.objects.filter(vintage=VINTAGE)
    national = files.filter(level=Level.GEMEENTE, scope=NEDERLAND_CODE).first()
    if national:
        print(f"  gemeenten, national: {national.feature_count} areas, {national.size_bytes:,} raw, {national.gzip_bytes:,} gzipped")
    for level in (Level.WIJK, Level.BUURT):
        sizes = sorted(files.filter(level=level).values_list("gzip_bytes", flat=True))
        if sizes:
            print(
                f"  {level.value} per gemeente: {len(sizes)} files, gzipped median {statistics.median(sizes):,.0f}, "
                f"p90 {sizes[int(len(sizes) * 0.9) - 1 if len(sizes) > 1 else 0]:,}, max {sizes[-1]:,}"
            )
    ok = national is not None and national.gzip_bytes <= 150_000
    print(f"\nnational gemeente map within 150 KB gzipped: {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
