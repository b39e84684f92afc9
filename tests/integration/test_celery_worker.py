"""The production path: a task sent through Redis runs on a real Celery worker against the
real database (PostGIS in CI). Skipped on the embedded default, which has no broker."""

import pytest
from django.conf import settings
from django.db import connection

from apps.geography import services
from apps.geography.levels import Level
from apps.geography.models import WebBoundaryFile
from apps.geography.tasks import refresh_derived_boundaries
from portal.celery import app as celery_app

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis)"),
]

BAARN = settings.DATA_DIR / "fixtures" / "baarn"


def test_broker_and_database_are_the_production_kind():
    assert celery_app.conf.broker_url.startswith("redis://")
    if settings.DATABASE_IS_POSTGIS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            assert cursor.fetchone()[0].startswith("3.")


def test_worker_rebuilds_web_files_after_an_import(worker):
    services.import_boundaries(BAARN / "wijken_2024.geojson", level=Level.WIJK, vintage=2024)
    services.import_boundaries(BAARN / "buurten_2024.geojson", level=Level.BUURT, vintage=2024)
    assert not WebBoundaryFile.objects.exists()

    result = refresh_derived_boundaries.delay(2024)

    assert result.get(timeout=120) == 2  # wijken and buurten of Baarn
    scopes = set(WebBoundaryFile.objects.values_list("level", "scope"))
    assert scopes == {("wijk", "GM0308"), ("buurt", "GM0308")}


def test_task_is_idempotent_on_the_worker(worker):
    services.import_boundaries(BAARN / "wijken_2024.geojson", level=Level.WIJK, vintage=2024)
    first = refresh_derived_boundaries.delay(2024).get(timeout=120)
    names = set(WebBoundaryFile.objects.values_list("file_name", flat=True))

    second = refresh_derived_boundaries.delay(2024).get(timeout=120)

    assert first == second == 1
    assert set(WebBoundaryFile.objects.values_list("file_name", flat=True)) == names
