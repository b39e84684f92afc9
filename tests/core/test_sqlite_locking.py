"""The embedded SQLite file under concurrent use: a long read never blocks a login, and a writer
waits for another writer instead of failing with "database is locked".

The test database is in memory, where none of this shows; these tests open a real file through
the SpatiaLite backend with the settings that ship (``portal.settings.database``), on two
connections of their own, as two web threads would.
"""

import sqlite3
import threading
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.utils import timezone

from portal.settings.database import SQLITE_OPTIONS, database_settings

FIRST, SECOND = "sqlite_file_first", "sqlite_file_second"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """Two aliases on one SpatiaLite file, configured as the embedded default, with the session
    table (what a login writes)."""
    path = tmp_path / "zicht.sqlite3"
    url = f"spatialite:///{path}"
    # Django fills in each alias's defaults the way it does for settings.DATABASES.
    configured = connections.configure_settings({"default": {}, FIRST: database_settings(url), SECOND: database_settings(url)})
    connections.settings.update({FIRST: configured[FIRST], SECOND: configured[SECOND]})
    with django_db_blocker.unblock():
        with connections[FIRST].schema_editor() as editor:
            editor.create_model(Session)
        for number in range(3):
            _save_session(FIRST, f"existing-{number}")
        try:
            yield path
        finally:
            for alias in (FIRST, SECOND):
                connections[alias].close()
                del connections[alias]
                del connections.settings[alias]


def _save_session(alias: str, key: str) -> None:
    """What SessionStore.save does at a login, on ``alias``."""
    with transaction.atomic(using=alias):
        Session(session_key=key, session_data="{}", expire_date=timezone.now()).save(using=alias, force_insert=True)


def test_a_login_commits_while_a_long_read_is_open(sqlite_file):
    # A long read (an export, a report) iterates a query in chunks: its statement, and so its
    # read lock, stays open until the last row.
    rows = Session.objects.using(FIRST).iterator(chunk_size=1)
    try:
        next(rows)
        started = time.monotonic()
        _save_session(SECOND, "login")
        waited = time.monotonic() - started
        assert len([next(rows), *rows]) == 2  # the reader goes on unharmed, with its own snapshot
    finally:
        rows.close()

    assert waited < 1, f"the login waited {waited:.1f} s for a reader"
    assert Session.objects.using(SECOND).filter(session_key="login").exists()


def test_a_writer_waits_for_another_writer_instead_of_failing(sqlite_file):
    holding, failures = threading.Event(), []

    def first_writer():
        try:
            with transaction.atomic(using=FIRST):
                Session.objects.using(FIRST).filter(session_key="existing-0").exists()
                _save_session(FIRST, "first")
                holding.set()
                time.sleep(1)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            holding.set()
            connections[FIRST].close()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(10)
    # Read, then write, in one transaction (as get_or_create, axes and a session check do).
    with transaction.atomic(using=SECOND):
        Session.objects.using(SECOND).filter(session_key="existing-0").exists()
        _save_session(SECOND, "second")
    thread.join(30)

    assert not failures
    assert set(Session.objects.using(SECOND).values_list("session_key", flat=True)) >= {"first", "second"}


def test_the_file_keeps_write_ahead_logging_and_connections_wait(sqlite_file):
    with connections[FIRST].cursor() as cursor:
        cursor.execute("SELECT spatialite_version()")  # the SpatiaLite backend took the options
        assert cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == SQLITE_OPTIONS["timeout"] * 1000
    connections[FIRST].close()

    # Stored in the file: any later connection, even one without the options, finds it.
    with sqlite3.connect(sqlite_file) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_only_sqlite_gets_the_sqlite_options():
    assert database_settings("postgis://zicht@127.0.0.1:5432/zicht").get("OPTIONS", {}) == {}
    assert database_settings("spatialite:////tmp/zicht.sqlite3?timeout=60")["OPTIONS"]["timeout"] == 60
