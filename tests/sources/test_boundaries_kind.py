"""Boundary files uploaded like any other source: the preview is a dry run of the geography
import (nothing changes), confirming imports them and rebuilds the web map files."""

import json

import pytest
from django.conf import settings

from apps.geography.models import Area, WebBoundaryFile
from apps.sources import services
from apps.sources.models import ImportRun

BAARN_WIJKEN = settings.DATA_DIR / "fixtures" / "baarn" / "wijken_2024.geojson"


@pytest.fixture
def private_root(tmp_path, settings):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.GEO_WEB_ROOT = tmp_path / "geo"
    return settings.PRIVATE_STORAGE_ROOT


def _snapshot():
    return list(Area.objects.order_by("pk").values_list("code", "name", "geometry_source"))


@pytest.mark.django_db
def test_boundary_upload_previews_without_changing_anything(private_root):
    before = _snapshot()

    run = services.prepare_run([(BAARN_WIJKEN, BAARN_WIJKEN.name)])

    assert run.status == ImportRun.Status.PREVIEW
    assert run.kind == "grenzen"
    [entry] = run.summary["files"]
    assert (entry["layout"], entry["rows"]) == ("wijk", 5)
    assert entry["added"] + entry["changed"] == 5  # new areas, or boundaries of existing ones
    assert _snapshot() == before


@pytest.mark.django_db
def test_confirmed_boundary_upload_imports_and_rebuilds_web_files(
    private_root, django_capture_on_commit_callbacks
):
    run = services.prepare_run([(BAARN_WIJKEN, BAARN_WIJKEN.name)])

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert Area.objects.filter(level="wijk", code__startswith="WK0308", geometry__isnull=False).count() == 5
    web = WebBoundaryFile.objects.get(level="wijk", scope="GM0308")
    features = json.loads((settings.GEO_WEB_ROOT / web.file_name).read_text())["features"]
    assert len(features) == 5


@pytest.mark.django_db
def test_broken_boundary_file_is_refused_with_its_rows(private_root, tmp_path):
    broken = tmp_path / "wijken.geojson"
    broken.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"wijkcode": "WK99"}, "geometry": {"type": "Point", "coordinates": [5, 52]}}
    ]}))

    before = _snapshot()

    run = services.prepare_run([(broken, broken.name)])

    assert run.status == ImportRun.Status.REJECTED
    messages = [(p.row, p.column) for p in run.problems.all()]
    assert (1, "wijkcode") in messages
    assert _snapshot() == before
