"""Fixtures for the tests on the production services: a real Celery worker on Redis."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app as celery_app

needs_broker = pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis)")


@pytest.fixture
def worker():
    """A real worker (threads) consuming from the configured broker, inside this process."""
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30, concurrency=2, pool="threads"):
            yield
    finally:
        celery_app.conf.task_always_eager = True


@pytest.fixture(scope="session", autouse=True)
def _release_worker_connections(django_db_setup, django_db_blocker):
    """Workers (threads, processes) may leave connections to the test database open; close them
    before pytest-django drops the database, which PostgreSQL refuses while sessions remain."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
