"""Shared fixtures: the real 2024 geography, loaded once per test session.

``geo`` gives a test the national area lookup (14,574 buurten up to Nederland), the national
gemeente and wijk boundaries, the buurt boundaries of Baarn (GM0308), the dissolved provincies
and Nederland, and the web boundary files. The load runs once, the first time a test asks for
it (about 15 seconds); every test then runs inside a transaction that is rolled back, so what
one test imports never leaks into another.

Transactional tests (``django_db(transaction=True)``, ``transactional_db``, ``live_server``)
start from an empty database, as they would without this file: the session data is removed
before the first of them. pytest-django runs those tests after all others.

The data lies under ``settings.DATA_DIR`` (``../shared/data`` beside the project by default).
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.plugin import validate_django_db

from apps.geography import services, webfiles
from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area
from tests.factories import BAARN_BUURTEN, GEMEENTEN, LOOKUP, VINTAGE, WIJKEN, data_file


def pytest_configure(config):
    # WhiteNoise looks for STATIC_ROOT, which only `collectstatic` creates; tests do not need it.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request):
    """Each pytest-xdist worker (``-n 4``) gets a test database of its own.

    pytest-django does this by suffixing the test database name, but it only knows the plain
    SQLite engine is in memory; for SpatiaLite it would build a name from the file path that
    cannot be opened. SpatiaLite test databases are in memory, so per process already.
    """
    from django.conf import settings

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if not worker:
        return
    for db_settings in settings.DATABASES.values():
        test_settings = db_settings.setdefault("TEST", {})
        name = test_settings.get("NAME")
        if not name and db_settings["ENGINE"].endswith(("sqlite3", "spatialite")):
            continue
        if name == ":memory:":
            continue
        test_settings["NAME"] = f"{name or 'test_' + db_settings['NAME']}_{worker}"


@dataclass
class LoadedData:
    """What the session load did: the report of each import, in order."""

    lookup: services.ImportReport | None = None
    boundaries: dict[str, services.ImportReport] = field(default_factory=dict)
    dissolved: list[str] = field(default_factory=list)
    web_files: list = field(default_factory=list)
    seconds: float = 0.0
    present: bool = False  # the data is in the database (not removed by a transactional test)


_LOADED = LoadedData()


def _load_2024() -> None:
    started = time.monotonic()
    _LOADED.lookup = services.import_area_lookup(data_file(LOOKUP), vintage=VINTAGE)
    services.import_postcodes(data_file("cbs/kwb_2024_gebieden.csv"), vintage=VINTAGE)
    for level, relative in (
        (Level.GEMEENTE, GEMEENTEN),
        (Level.WIJK, WIJKEN),
        (Level.BUURT, BAARN_BUURTEN),
    ):
        _LOADED.boundaries[level.value] = services.import_boundaries(
            data_file(relative), level=level, vintage=VINTAGE
        )
    _LOADED.dissolved = services.dissolve_missing_boundaries(VINTAGE)
    _LOADED.web_files = webfiles.build_web_boundary_files(VINTAGE)
    _LOADED.seconds = time.monotonic() - started
    _LOADED.present = True


@pytest.fixture(scope="session")
def geo_2024(django_db_setup, django_db_blocker) -> LoadedData:
    """Load the real 2024 geography into the test database, once per session (committed)."""
    with django_db_blocker.unblock():
        _load_2024()
    return _LOADED


@pytest.fixture
def geo(geo_2024, db) -> LoadedData:
    """The session's 2024 geography, for a test that runs in a rolled-back transaction."""
    if (
        not _LOADED.present
        or not Area.objects.filter(vintage=VINTAGE, code=NEDERLAND_CODE).exists()
    ):
        # A transactional test emptied the database earlier in this session. Load again, inside
        # this test's transaction: slow, but the test sees what it asked for.
        _load_2024()
        _LOADED.present = False
    return geo_2024


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        # pytest-django returns (transaction, reset_sequences, databases, ...) as a plain tuple.
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.fixture(autouse=True)
def _transactional_tests_start_empty(request, django_db_blocker):
    if _LOADED.present and _is_transactional(request.node):
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        _LOADED.present = False
    yield


@pytest.fixture
def geo_web_root(tmp_path, settings) -> Path:
    """A folder of its own for the web boundary files a test builds.

    Building web files deletes the files they replace from disk, which a database rollback does
    not undo, so such a test must not write into the session's folder.
    """
    root = tmp_path / "geo"
    settings.GEO_WEB_ROOT = root
    return root


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages cache published data by release number, and every test's first release is number
    1: without this, one test would read what another test's release 1 held."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin client (a client of its own, not ``client``), logged in with two
    factors as the portal requires of administrators."""
    from django.test import Client

    from tests.factories import login_with_two_factors

    return login_with_two_factors(Client(), admin_user)


@pytest.fixture
def redis_cache_location() -> str:
    """A database of its own (13) on the Redis the broker uses, for tests of the Redis cache;
    skipped where the broker is not Redis (CI has one)."""
    from urllib.parse import urlparse, urlunparse

    from django.conf import settings

    broker = settings.CELERY_BROKER_URL
    if not broker or not broker.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL pointing to Redis")
    return urlunparse(urlparse(broker)._replace(path="/13"))
