"""`make bench`, part 2: the stewards' pipeline on the national data.

Each scenario runs in its own process against a fresh SpatiaLite database (or
BENCH_DATABASE_URL), so its peak memory is its own. Targets on the 2-core machine: each import
under 10 s, peak memory under 1 GB.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCENARIOS = {
    "dry-run kwb_2024_gebieden.csv (17,745 rows)": ("dry-run", ["cbs/kwb_2024_gebieden.csv"]),
    "import kwb_2024_gebieden.csv (17,745 rows)": ("import", ["cbs/kwb_2024_gebieden.csv"]),
    "dry-run crime 2021-2025 (71,875 rows)": ("dry-run", ["politie/geregistreerde_misdrijven_2021_2025.csv"]),
    "import crime 2021-2025 (71,875 rows)": ("import", ["politie/geregistreerde_misdrijven_2021_2025.csv"]),
    "full chain, all open data + synthetic extracts, to a published release": ("chain", None),
}


def child(mode: str, files: list[str] | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="zicht-bench-pipeline-"))
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"spatialite:///{work / 'bench.sqlite3'}")
    os.environ["GEO_WEB_ROOT"] = str(work / "geo")
    os.environ["PRIVATE_STORAGE_ROOT"] = str(work / "private")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from apps.geography import services as geography
    from apps.releases import services as releases
    from apps.sources import services
    from apps.sources.models import ImportRun

    call_command("migrate", verbosity=0)
    data = Path(settings.DATA_DIR)
    geography.import_area_lookup(data / "reference" / "gebiedsindeling_2024.csv", vintage=2024)
    if mode == "chain":
        call_command("generate_synthetic_extracts", out=str(work / "synthetic"), seed=2024, stdout=open(os.devnull, "w"))
        paths = sorted(data.glob("cbs/*.csv")) + sorted(data.glob("politie/*.csv")) + sorted((work / "synthetic").glob("*.csv"))
    else:
        paths = [data / name for name in files]
    rows = 0
    start = time.perf_counter()
    run = services.prepare_run([(path, path.name) for path in paths])
    rows = run.rows_total
    if mode != "dry-run":
        services.confirm_run(run)  # eager: the whole chain runs here
        run.refresh_from_db()
        assert run.status == ImportRun.Status.SUCCEEDED, run.error
        if mode == "chain":
            releases.publish(run.release)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": rows, "errors": run.error_count}))


def main() -> int:
    print("\nstewards' pipeline (each in a fresh process; time from upload to the end of the step)")
    ok = True
    for label, (mode, files) in SCENARIOS.items():
        result = subprocess.run(
            [sys.executable, "-m", "bench.pipeline", "--child", mode, json.dumps(files)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(f"  {label}: FAILED\n{result.stderr[-2000:]}")
            ok = False
            continue
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        # The targets are for the dry runs and imports; the whole chain is reported as measured.
        if mode != "chain":
            ok &= figures["seconds"] < 10 and figures["peak_mb"] < 1024
        print(
            f"  {label:<72} {figures['seconds']:7.2f} s  peak {figures['peak_mb']:6.0f} MB"
            f"  {figures['rows']:>9,} rows"
        )
    print(f"targets met by the dry runs and imports (< 10 s, peak < 1 GB): {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], json.loads(sys.argv[3]))
    else:
        sys.exit(main())
