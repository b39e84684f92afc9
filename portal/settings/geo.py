"""Geography: where the source data lies, where web boundary files go, the map defaults."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, env

# The open data (boundaries, CBS, lookup). Default: ../shared/data beside the project when it
# exists; the import commands say which public files to fetch when it does not.
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data")))

# Simplified, content-hashed boundary files for the maps (generated, served with long caching).
GEO_WEB_ROOT = Path(env.str("GEO_WEB_ROOT", default=str(BASE_DIR / "var" / "geo")))

# Newest indeling (boundary vintage) that public pages show.
GEO_DEFAULT_VINTAGE = env.int("GEO_DEFAULT_VINTAGE", default=2024)

PDOK_TILE_URL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"

LEAFLET_CONFIG = {
    "TILES": [
        (
            _("PDOK grey"),
            PDOK_TILE_URL,
            {
                "attribution": 'Kaart: <a href="https://www.pdok.nl/">PDOK</a> / Kadaster; '
                'grenzen: CBS / Kadaster, via PDOK (CC BY 4.0)',
                "minZoom": 6,
                "maxZoom": 19,
            },
        )
    ],
    "DEFAULT_CENTER": (52.2, 5.3),
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 6,
    "MAX_ZOOM": 19,
    "SPATIAL_EXTENT": (3.0, 50.6, 7.4, 53.7),
    "ATTRIBUTION_PREFIX": '<a href="https://leafletjs.com/">Leaflet</a>',
    "RESET_VIEW": False,
    "SCALE": "metric",
    "NO_GLOBALS": True,
}

# gis.W001: Debian 12's GDAL 3.6 cannot block file and network access from crafted spatial
# references. Zicht never hands an uploaded JSON file to GDAL (GeoJSON and TopoJSON are parsed in
# Python) and opens a GeoPackage only after checking its SQLite header and application id; see
# apps/geography/readers.py. Upgrade to GDAL >= 3.9 where the platform offers it.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
