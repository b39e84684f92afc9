import pytest, time
from pathlib import Path
from django.conf import settings
from apps.sources import services
from apps.sources.models import *
from apps.releases.models import *
from apps.core.models import AuditEvent

def test_explore(geo, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    d = Path(settings.DATA_DIR)
    f = d / "fixtures/baarn/geregistreerde_misdrijven_2021_2025.csv"
    run = services.prepare_run([(f, f.name)])
    print(run.status, run.kind, run.summary)
    with django_capture_on_commit_callbacks(execute=True) as cb:
        services.confirm_run(run)
    run.refresh_from_db()
    print(run.status, run.step, run.error[:2000], run.release)
    r = run.release
    print(r.number, r.cell_count, r.suppressed_count, r.changes, PublishedValue.objects.filter(release=r).values("indicator").distinct())
    run2 = services.prepare_run([(f, f.name)])
    print(run2.summary)
    with django_capture_on_commit_callbacks(execute=True) as cb:
        services.confirm_run(run2)
    run2.refresh_from_db()
    print(run2.status, run2.release.changes)
    t=time.time()
    f = d / "politie/geregistreerde_misdrijven_2021_2025.csv"
    run3 = services.prepare_run([(f, f.name)])
    print(time.time()-t, run3.summary)
    with django_capture_on_commit_callbacks(execute=True) as cb:
        services.confirm_run(run3)
    run3.refresh_from_db()
    print(time.time()-t, run3.status, run3.error[:500], run3.release.changes, run3.release.cell_count)
    print(list(AuditEvent.objects.values_list("action", "subject")))
