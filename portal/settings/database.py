"""Database: the embedded SpatiaLite file by default, PostGIS when DATABASE_URL says so."""

from .env import BASE_DIR, env

# Debian/Ubuntu ship the SpatiaLite extension as ``mod_spatialite``; override where it differs.
SPATIALITE_LIBRARY_PATH = env.str("SPATIALITE_LIBRARY_PATH", default="mod_spatialite")

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"spatialite:///{BASE_DIR / 'var' / 'zicht.sqlite3'}",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DATABASE_IS_POSTGIS = DATABASES["default"]["ENGINE"].endswith("postgis")
