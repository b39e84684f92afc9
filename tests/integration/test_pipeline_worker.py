"""A steward's upload through Redis and real Celery workers on PostGIS: from the file to a
release, a failing run, two uploads at once, and a worker killed in the middle of a step.

Skipped on the embedded default (no broker); .ci/run runs them against PostGIS and Redis.
"""

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.geography import services as geography
from apps.releases import services as releases
from apps.releases.models import PublishedValue, Release
from apps.sources import services
from apps.sources.models import ImportRun, Observation

from .conftest import needs_broker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True), needs_broker]

BAARN = "GM0308"
TIMEOUT = 120


@pytest.fixture
def private_root(tmp_path, settings):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def baarn_areas(tmp_path):
    """The Baarn part of the real 2024 lookup: enough for its codes to be known."""
    source = settings.DATA_DIR / "reference" / "gebiedsindeling_2024.csv"
    target = tmp_path / "gebiedsindeling_2024.csv"
    with open(source, newline="", encoding="utf-8") as reader, open(target, "w", newline="", encoding="utf-8") as out:
        rows = csv.DictReader(reader)
        writer = csv.DictWriter(out, fieldnames=rows.fieldnames)
        writer.writeheader()
        buurten = [row for row in rows if row["gemeentecode"] == BAARN]
        writer.writerows(buurten)
    geography.import_area_lookup(target, vintage=2024)
    return [row["buurtcode"] for row in buurten]


def crime_file(folder: Path, buurten: list[str], base: int = 10) -> Path:
    path = folder / f"misdrijven_baarn_{base}.csv"
    lines = ["regiocode,niveau,jaar,geregistreerde_misdrijven_totaal", f"{BAARN},gemeente,2024,{base * 100}"]
    lines += [f"{code},buurt,2024,{base + i}" for i, code in enumerate(buurten)]
    path.write_text("\n".join(lines) + "\n")
    return path


def kwb_file(folder: Path, buurten: list[str]) -> Path:
    path = folder / "kwb_2024_baarn.csv"
    lines = ["regiocode,niveau,naam,AantalInwoners_5,HuishoudensTotaal_29", f"{BAARN},gemeente,Baarn,25000,11000"]
    lines += [f"{code},buurt,Buurt {i},{500 + i * 50},{200 + i * 20}" for i, code in enumerate(buurten)]
    path.write_text("\n".join(lines) + "\n")
    return path


def wait_for(run: ImportRun, *, timeout: float = TIMEOUT) -> ImportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run #{run.pk} still {run.status} at step {run.step!r} after {timeout} s")


def upload(path: Path) -> ImportRun:
    run = services.prepare_run([(path, path.name)])
    assert run.status == ImportRun.Status.PREVIEW, list(run.problems.values_list("message", flat=True))
    return run


def test_upload_to_release_on_the_worker(worker, baarn_areas, private_root, tmp_path):
    run = upload(crime_file(tmp_path, baarn_areas))

    services.confirm_run(run)

    run = wait_for(run)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.step == ImportRun.Step.DONE
    assert run.rows_done == len(baarn_areas) + 1
    release = run.release
    crime = PublishedValue.objects.filter(release=release, indicator="geregistreerde_misdrijven")
    assert crime.get(area_code=BAARN).value == 1000
    # Every row of the file, plus the provincie and Nederland derived from the complete gemeenten.
    assert crime.filter(derived=False).count() == len(baarn_areas) + 1
    assert all(code.startswith(("PV", "NL")) for code in crime.filter(derived=True).values_list("area_code", flat=True))
    assert not release.is_current  # publishing waits for a steward (RELEASES_AUTO_PUBLISH off)


def test_a_failing_run_leaves_the_current_release_untouched(worker, baarn_areas, private_root, tmp_path):
    first = upload(crime_file(tmp_path, baarn_areas))
    services.confirm_run(first)
    published = releases.publish(wait_for(first).release)
    before = list(PublishedValue.objects.filter(release=published).values_list("area_code", "value"))

    broken = upload(crime_file(tmp_path, baarn_areas, base=50))
    # The stored raw file is lost between preview and import (a storage failure).
    for source_file in broken.files.all():
        (private_root / source_file.stored_path).unlink()
    services.confirm_run(broken)

    broken = wait_for(broken)
    assert broken.status == ImportRun.Status.FAILED
    assert broken.step == ImportRun.Step.IMPORT
    assert "No such file" in broken.error
    assert broken.release is None
    assert Release.objects.get(is_current=True) == published
    assert Release.objects.count() == 1
    assert list(PublishedValue.objects.filter(release=published).values_list("area_code", "value")) == before
    assert Observation.objects.filter(variable="geregistreerde_misdrijven", area_code=BAARN).get().value == 1000


def test_two_uploads_at_once_both_end_up_in_the_final_release(worker, baarn_areas, private_root, tmp_path):
    crime = upload(crime_file(tmp_path, baarn_areas))
    people = upload(kwb_file(tmp_path, baarn_areas))

    services.confirm_run(crime)
    services.confirm_run(people)

    crime, people = wait_for(crime), wait_for(people)
    assert crime.status == people.status == ImportRun.Status.SUCCEEDED, (crime.error, people.error)
    last = Release.objects.order_by("-number").first()
    indicators = set(PublishedValue.objects.filter(release=last).values_list("indicator", flat=True))
    assert {"geregistreerde_misdrijven", "inwoners", "misdrijven_per_1000_inwoners"} <= indicators
    rate = PublishedValue.objects.get(release=last, indicator="misdrijven_per_1000_inwoners", area_code=BAARN)
    assert rate.value == pytest.approx(1000 / 25000 * 1000)


def _worker_environment(private_root: Path) -> dict:
    db = connection.settings_dict
    url = f"postgis://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PRIVATE_STORAGE_ROOT": str(private_root),
        "PIPELINE_STEP_PAUSE_SECONDS": "4",
        "DEBUG": "false",
    }


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


@pytest.mark.skipif(not settings.DATABASE_IS_POSTGIS, reason="the worker process needs a server database")
@pytest.mark.skipif(not shutil.which("pgrep"), reason="needs pgrep")
def test_a_worker_killed_mid_step_loses_nothing(baarn_areas, private_root, tmp_path):
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(
        [str(celery), "-A", "portal", "worker", "--concurrency=1", "--pool=prefork", "--loglevel=INFO"],
        cwd=settings.BASE_DIR,
        env=_worker_environment(private_root),
        stdout=open(tmp_path / "worker.log", "w"),
        stderr=subprocess.STDOUT,
    )
    try:
        run = upload(crime_file(tmp_path, baarn_areas))
        from portal.celery import app as celery_app

        celery_app.conf.task_always_eager = False
        try:
            services.confirm_run(run)
        finally:
            celery_app.conf.task_always_eager = True

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.step == ImportRun.Step.IMPORT and run.status == ImportRun.Status.RUNNING:
                break
            time.sleep(0.2)
        else:
            raise AssertionError(f"the import never started:\n{(tmp_path / 'worker.log').read_text()[-3000:]}")
        for child in _children(process.pid):  # the pool process running the step
            os.kill(child, signal.SIGKILL)

        run = wait_for(run, timeout=180)
        log = (tmp_path / "worker.log").read_text()
        assert run.status == ImportRun.Status.SUCCEEDED, run.error + log[-3000:]
        assert "WorkerLostError" in log or "lost" in log.lower()
        values = PublishedValue.objects.filter(release=run.release, indicator="geregistreerde_misdrijven")
        assert values.filter(derived=False).count() == len(baarn_areas) + 1
        assert Observation.objects.filter(variable="geregistreerde_misdrijven").count() == len(baarn_areas) + 1
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
