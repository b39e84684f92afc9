"""Boundaries as GeoJSON (EPSG:4326, coordinates rounded to 6 decimals).

Gemeenten, wijken and buurten come from the web boundary files the maps use
(apps.geography.webfiles: simplified as a coverage, so neighbours keep sharing their borders):
gemeenten from the national file, wijken and buurten from their gemeente's file. Provincies and
Nederland (dissolved from their gemeenten), and any area whose file is missing, are simplified
here from the stored boundary with the tolerance of ``TOLERANCE`` (degrees, topology kept).
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area, WebBoundaryFile

from .selectors import areas_within

DECIMALS = 6
# Degrees; 0.001° is about 70 m east–west. The web files' own tolerances for the lower levels.
TOLERANCE = {
    Level.LAND: 0.005,
    Level.PROVINCIE: 0.002,
    Level.GEMEENTE: 0.0008,
    Level.WIJK: 0.0001,
    Level.BUURT: 0.00005,
}
FILE_LEVELS = (Level.GEMEENTE, Level.WIJK, Level.BUURT)
CACHE_SECONDS = 24 * 3600


def _rounded(coordinates):
    if isinstance(coordinates, (int, float)):
        return round(coordinates, DECIMALS)
    return [_rounded(item) for item in coordinates]


def _geometry(geojson: dict | None) -> dict | None:
    if not geojson:
        return None
    return {"type": geojson["type"], "coordinates": _rounded(geojson["coordinates"])}


@lru_cache(maxsize=64)
def _file_features(file_name: str) -> dict[str, dict]:
    """{code: feature} of one web boundary file (its name carries its content hash, so what is
    read once stays right)."""
    path = settings.GEO_WEB_ROOT / file_name
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return {feature["properties"]["code"]: feature for feature in document.get("features", [])}


def _scope_of(code: str, level: str) -> str:
    return NEDERLAND_CODE if level == Level.GEMEENTE else "GM" + code[2:6]


def _files(vintage: int, level: str, scopes: set[str]) -> dict[str, str]:
    if level not in FILE_LEVELS or not scopes:
        return {}
    rows = WebBoundaryFile.objects.filter(vintage=vintage, level=level, scope__in=scopes)
    return dict(rows.values_list("scope", "file_name"))


def _feature(*, code: str, name: str, level: str, parent: str | None, vintage: int, geometry) -> dict:
    return {
        "type": "Feature",
        "properties": {"gebied": code, "naam": name, "niveau": level, "ouder": parent, "indeling": vintage},
        "geometry": _geometry(geometry),
    }


def _simplified_from_database(vintage: int, codes: list[str], level: str) -> dict[str, dict]:
    features = {}
    rows = Area.objects.filter(vintage=vintage, code__in=codes, geometry__isnull=False).only("code", "geometry")
    for area in rows:
        simplified = area.geometry.simplify(TOLERANCE[Level(level)], preserve_topology=True)
        features[area.code] = json.loads(simplified.geojson)
    return features


def _geometries(vintage: int, level: str, codes: list[str]) -> dict[str, dict]:
    """{code: GeoJSON geometry} from the web files where they hold the area, else simplified."""
    files = _files(vintage, level, {_scope_of(code, level) for code in codes})
    found = {}
    for code in codes:
        file_name = files.get(_scope_of(code, level))
        feature = _file_features(file_name).get(code) if file_name else None
        if feature is not None:
            found[code] = feature["geometry"]
    missing = [code for code in codes if code not in found]
    if missing:
        found |= _simplified_from_database(vintage, missing, level)
    return found


def area_feature(area: Area) -> dict | None:
    """One area's boundary as a Feature; None when it has none."""
    parent = area.parent.code if area.parent_id else None
    key = f"zicht:api:grens:{area.vintage}:{area.code}:{_files(area.vintage, area.level, {_scope_of(area.code, area.level)})}"

    def build():
        geometry = _geometries(area.vintage, area.level, [area.code]).get(area.code)
        if geometry is None:
            return None
        return _feature(code=area.code, name=area.name, level=area.level, parent=parent, vintage=area.vintage,
                        geometry=geometry)

    return _cached(key, build)


# Wijken or buurten of the whole country would be tens of megabytes: ask for a provincie at most.
NATIONAL_LEVELS = (Level.PROVINCIE, Level.GEMEENTE)


def feature_collection(*, vintage: int, level: str, scope: str) -> dict:
    if scope == NEDERLAND_CODE and level not in NATIONAL_LEVELS:
        raise serializers.ValidationError({"binnen": [
            _("Boundaries of every %(level)s in the country are too large for one answer; give a provincie or "
              "gemeente in binnen.") % {"level": level}
        ]})
    rows = list(
        Area.objects.filter(vintage=vintage, code__in=areas_within(scope, level, vintage=vintage))
        .order_by("code").values_list("code", "name", "parent__code")
    )
    scopes = {_scope_of(code, level) for code, _name, _parent in rows}
    key = f"zicht:api:grenzen:{vintage}:{level}:{scope}:{sorted(_files(vintage, level, scopes).items())}"

    def build():
        geometries = _geometries(vintage, level, [code for code, _name, _parent in rows])
        return {
            "type": "FeatureCollection",
            "features": [
                _feature(code=code, name=name, level=level, parent=parent, vintage=vintage, geometry=geometries[code])
                for code, name, parent in rows if code in geometries
            ],
        }

    return _cached(key, build)


def _cached(key: str, build):
    import hashlib

    full_key = "zicht:api:geo:" + hashlib.sha256(key.encode()).hexdigest()
    value = cache.get(full_key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(full_key, value, CACHE_SECONDS)
    return value
