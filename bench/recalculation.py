"""`make bench`, part 3: a full national recalculation with disclosure control and the audit.

All open data (CBS kerncijfers 2021-2024, police crime) and the synthetic extracts of every
buurt of the 2024 indeling are staged once, in a process of their own. A second, fresh process
then times what a steward's "recalculate everything" costs:

1. ``recalculate_all``: every indicator, every area and year (2021-2024), per SBI section;
2. ``protect_all``: primary rules, secondary suppression, the LP audit, rounding;
3. ``build_release``: the release with its comparisons, zoekgebieden and gelegenheidsstructuur.

It prints seconds and the process's peak memory after each phase, the cells, the audit outcome
and the share of cells suppressed per level. Target on the 2-core machine: phases 1 and 2
together under 60 s and under 2 GB.

    .venv/bin/python -m bench.recalculation
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _environment(work: Path) -> None:
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"spatialite:///{work / 'bench.sqlite3'}")
    os.environ["GEO_WEB_ROOT"] = str(work / "geo")
    os.environ["PRIVATE_STORAGE_ROOT"] = str(work / "private")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def setup(work: Path) -> None:
    """Stage every open file and the synthetic extracts (the import step only)."""
    _environment(work)
    from django.conf import settings
    from django.core.management import call_command

    from apps.geography import services as geography
    from apps.sources import pipeline, services
    from apps.sources.models import ImportRun

    call_command("migrate", verbosity=0)
    data = Path(settings.DATA_DIR)
    geography.import_area_lookup(data / "reference" / "gebiedsindeling_2024.csv", vintage=2024)
    call_command("generate_synthetic_extracts", out=str(work / "synthetic"), seed=2024, stdout=open(os.devnull, "w"))
    paths = sorted(data.glob("cbs/*.csv")) + sorted(data.glob("politie/*.csv")) + sorted((work / "synthetic").glob("*.csv"))
    run = services.prepare_run([(path, path.name) for path in paths])
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
    assert pipeline.import_step(run.pk), ImportRun.objects.get(pk=run.pk).error
    print(json.dumps({"rows": run.rows_total}))


def measure(work: Path) -> None:
    _environment(work)
    from django.db import transaction

    from apps.disclosure import services as disclosure
    from apps.indicators import services as indicators
    from apps.releases import services as releases

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def worker_peak_mb() -> float:
        """The largest worker process of disclosure control (they run beside this one)."""
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    figures = {}
    start = time.perf_counter()
    cells = indicators.recalculate_all()
    figures["recalculate"] = {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "cells": cells}
    start = time.perf_counter()
    with transaction.atomic():
        report = disclosure.protect_all()
    figures["disclosure"] = {
        "seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "cells": report.cell_count,
        "worker_peak_mb": worker_peak_mb(),
    }
    figures["audit"] = {
        "passed": report.passed,
        "audited": sum(row["audited"] for row in report.tables),
        "failed": sum(row["failed"] for row in report.tables),
        "tables": len(report.tables),
    }
    figures["levels"] = disclosure.level_shares(report).to_dict("records")
    start = time.perf_counter()
    release = releases.build_release(sources=[])
    figures["release"] = {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "cells": release.cell_count}
    print(json.dumps(figures))


def main() -> int:
    print("\nfull national recalculation (2024 indeling, 2021-2024, all indicators; fresh process)")
    with tempfile.TemporaryDirectory(prefix="zicht-bench-recalculation-") as folder:
        for mode in ("setup", "measure"):
            result = subprocess.run(
                [sys.executable, "-m", "bench.recalculation", "--child", mode, folder], capture_output=True, text=True
            )
            if result.returncode != 0:
                print(f"  {mode}: FAILED\n{result.stderr[-3000:]}")
                return 0
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    for phase in ("recalculate", "disclosure", "release"):
        f = figures[phase]
        print(f"  {phase:<12} {f['seconds']:7.1f} s  peak {f['peak_mb']:6.0f} MB  {f['cells']:>10,} cells")
    audit = figures["audit"]
    print(
        f"  audit: {'passed' if audit['passed'] else 'FAILED'}; {audit['audited']:,} suppressed cells in "
        f"{audit['tables']} count tables × years, {audit['failed']} too narrowly bounded"
    )
    print("  suppressed share per level:")
    for row in figures["levels"]:
        label = row["level"] + (" per SBI section" if row["per_section"] else "")
        print(f"    {label:<28} {row['suppressed']:>10,} of {row['cells']:>10,}  {100 * row['share']:5.1f}%")
    workers = figures["disclosure"]["worker_peak_mb"]
    print(f"  disclosure workers: the largest peaked at {workers:.0f} MB (DISCLOSURE_WORKERS of them run at once)")
    total = figures["recalculate"]["seconds"] + figures["disclosure"]["seconds"]
    # Parent and workers at their peaks at once: an upper bound of what the machine needs.
    peak = max(figures["recalculate"]["peak_mb"], figures["disclosure"]["peak_mb"] + 2 * workers)
    met = total < 60 and peak < 2048
    print(f"  recalculation + disclosure control: {total:.1f} s, peak {peak:.0f} MB; target (< 60 s, < 2 GB) met: "
          f"{'yes' if met else 'NO'}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        {"setup": setup, "measure": measure}[sys.argv[2]](Path(sys.argv[3]))
    else:
        sys.exit(main())
