"""Database: the embedded SpatiaLite file by default, PostGIS when DATABASE_URL says so."""

from .env import BASE_DIR, env

# Debian/Ubuntu ship the SpatiaLite extension as ``mod_spatialite``; override where it differs.
SPATIALITE_LIBRARY_PATH = env.str("SPATIALITE_LIBRARY_PATH", default="mod_spatialite")

EMBEDDED_DATABASE_URL = f"spatialite:///{BASE_DIR / 'var' / 'zicht.sqlite3'}"

# A SQLite file is shared by the web threads (and the in-process pipeline) of the embedded default.
# - Write-ahead logging: readers never block a writer and a writer never blocks readers (with
#   SQLite's default rollback journal a long read kept every login from committing: "database is
#   locked"). The mode is stored in the file, so it holds for every later connection too.
# - IMMEDIATE: a transaction takes the write lock when it begins, so a second writer waits for the
#   first at BEGIN. A DEFERRED transaction that read first fails at once, without waiting, when
#   another connection wrote in between (SQLite cannot let it upgrade its old snapshot).
# - timeout: how long a writer waits for another one before "database is locked" (Python's and
#   SpatiaLite's default is 5 s). Loading SpatiaLite resets it, so apps.core.sqlite sets it again.
#   SQLite has one writer at a time: while a pipeline step holds its write transaction longer than
#   this, a login still fails; the production path (PostgreSQL) has no such limit.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": env.float("SQLITE_BUSY_TIMEOUT_SECONDS", default=30.0),
}
SQLITE_ENGINES = ("django.db.backends.sqlite3", "django.contrib.gis.db.backends.spatialite")


def database_settings(url: str) -> dict:
    """Django's settings for the database at ``url``; options given in the URL win."""
    config = env.db_url_config(url)
    if config["ENGINE"] in SQLITE_ENGINES:
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_settings(env.str("DATABASE_URL", default=EMBEDDED_DATABASE_URL))}

DATABASE_IS_POSTGIS = DATABASES["default"]["ENGINE"].endswith("postgis")
