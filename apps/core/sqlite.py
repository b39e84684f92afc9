"""The SQLite busy timeout, set again once SpatiaLite is loaded.

Loading the SpatiaLite extension sets the connection's busy timeout to its own 5 seconds,
replacing the ``timeout`` that Django passed to ``sqlite3.connect`` (and an ``init_command``,
which runs before the extension is loaded). A writer would then give up after 5 s behind another
one, whatever the settings say (portal/settings/database.py).
"""

from django.db.backends.signals import connection_created


def restore_busy_timeout(sender, connection, **kwargs) -> None:
    timeout = connection.settings_dict["OPTIONS"].get("timeout")
    if connection.vendor == "sqlite" and timeout is not None:
        connection.connection.execute(f"PRAGMA busy_timeout = {int(float(timeout) * 1000)}")


def connect_signals() -> None:
    connection_created.connect(restore_busy_timeout, dispatch_uid="zicht-sqlite-busy-timeout")
