"""One lock that serialises the recalculation pipeline across workers.

On PostgreSQL a transaction-scoped advisory lock: held until the surrounding transaction ends,
released by the database if the worker dies. SQLite (the embedded default) lets one writer in
at a time anyway, so there the lock is the database's own.
"""

from django.db import connection

PIPELINE_LOCK_KEY = 74_105_001  # any constant, the same in every process


def hold_pipeline_lock() -> None:
    """Wait for and take the pipeline lock; call inside transaction.atomic()."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PIPELINE_LOCK_KEY])
