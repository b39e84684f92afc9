"""Read boundary features from GeoJSON, TopoJSON or GeoPackage files.

Uploaded spatial files are treated as hostile: the JSON formats are parsed by Python itself, so
nothing in them can make a library open other files or the network. GeoPackages are opened with
GDAL only after the file has proved to be an SQLite database with the GeoPackage application id,
so GDAL never guesses a driver for a crafted file.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from apps.core.problems import FileRejected, RowError

SQLITE_MAGIC = b"SQLite format 3\x00"
GEOPACKAGE_APPLICATION_IDS = {b"GPKG", b"GP10", b"GP11"}
WGS84 = 4326


@dataclass
class SourceFeature:
    row: int  # 1-based position in the file
    properties: dict
    geometry: BaseGeometry | None
    error: str = ""


@dataclass
class FeatureFile:
    name: str
    format: str
    features: list[SourceFeature] = field(default_factory=list)


def read_features(path: Path, *, layer: str | None = None) -> FeatureFile:
    """All features of a boundary file, in WGS84. Raises FileRejected for a file it cannot read."""
    path = Path(path)
    name = path.name
    try:
        head = path.read_bytes()[:100]
    except OSError as exc:
        raise FileRejected([RowError(name, None, "", f"cannot read the file: {exc.strerror}")])
    if head.startswith(SQLITE_MAGIC):
        return _read_geopackage(path, head, layer)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileRejected(
            [RowError(name, None, "", f"not GeoJSON, TopoJSON or GeoPackage ({exc})")]
        ) from None
    kind = document.get("type") if isinstance(document, dict) else None
    try:
        if kind == "Topology":
            return _read_topojson(name, document, layer)
        if kind == "FeatureCollection":
            return _read_geojson(name, document)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        # JSON of the right type but the wrong shape (a list where an object belongs, ...)
        raise FileRejected([RowError(name, None, "", f"not a valid {kind} ({exc!r})")]) from None
    raise FileRejected(
        [RowError(name, None, "type", "expected a GeoJSON FeatureCollection or a TopoJSON Topology")]
    )


def _srid_from_geojson_crs(name: str, document: dict) -> int:
    """RFC 7946 GeoJSON is WGS84; older files may name another CRS (RD New, EPSG:28992)."""
    crs = document.get("crs")
    if not crs:
        return WGS84
    crs_name = str((crs.get("properties") or {}).get("name", ""))
    digits = crs_name.rsplit(":", 1)[-1]
    if crs_name.upper().endswith("CRS84"):
        return WGS84
    if digits.isdigit():
        from django.contrib.gis.gdal import GDALException, SpatialReference

        try:
            SpatialReference(int(digits))
        except GDALException:
            raise FileRejected(
                [RowError(name, None, "crs", f"unknown coordinate reference system {crs_name!r}")]
            ) from None
        return int(digits)
    raise FileRejected([RowError(name, None, "crs", f"unknown coordinate reference system {crs_name!r}")])


def _read_geojson(name: str, document: dict) -> FeatureFile:
    srid = _srid_from_geojson_crs(name, document)
    result = FeatureFile(name=name, format="GeoJSON")
    for row, feature in enumerate(document.get("features") or [], start=1):
        properties = dict(feature.get("properties") or {})
        if feature.get("id") is not None:
            properties.setdefault("id", feature["id"])
        result.features.append(_make_feature(row, properties, feature.get("geometry"), srid))
    return result


def _choose_layer(name: str, available: list[str], layer: str | None, *, field_name: str) -> str:
    """The layer (TopoJSON object, GeoPackage table) to read: the one asked for, or the only one."""
    if layer is None:
        if len(available) != 1:
            listed = ", ".join(available) or "none"
            raise FileRejected(
                [RowError(name, None, field_name, f"name the layer to read (--layer); found: {listed}")]
            )
        return available[0]
    if layer not in available:
        raise FileRejected([RowError(name, None, field_name, f"no layer {layer!r} in this file")])
    return layer


def _read_topojson(name: str, topology: dict, layer: str | None) -> FeatureFile:
    objects = topology.get("objects") or {}
    layer = _choose_layer(name, list(objects), layer, field_name="objects")
    arcs = _decode_arcs(topology)
    target = objects[layer]
    geometries = target.get("geometries", []) if target.get("type") == "GeometryCollection" else [target]
    result = FeatureFile(name=name, format="TopoJSON")
    for row, item in enumerate(geometries, start=1):
        properties = dict(item.get("properties") or {})
        if item.get("id") is not None:
            properties.setdefault("id", item["id"])
        try:
            geometry = _topojson_geometry(item, arcs)
        except (IndexError, TypeError, KeyError) as exc:
            result.features.append(SourceFeature(row, properties, None, f"broken arc reference ({exc})"))
            continue
        result.features.append(_make_feature(row, properties, geometry, WGS84))
    return result


def _decode_arcs(topology: dict) -> list[list[list[float]]]:
    transform = topology.get("transform")
    decoded = []
    for arc in topology.get("arcs") or []:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for position in arc:
                x += position[0]
                y += position[1]
                points.append([x * sx + tx, y * sy + ty])
            decoded.append(points)
        else:
            decoded.append([list(position[:2]) for position in arc])
    return decoded


def _topojson_ring(indexes: list[int], arcs: list) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their joining point
        ring.extend(points if not ring else points[1:])
    return ring


def _topojson_geometry(item: dict, arcs: list) -> dict | None:
    kind = item.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_topojson_ring(r, arcs) for r in item["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[_topojson_ring(r, arcs) for r in polygon] for polygon in item["arcs"]],
        }
    if kind is None:
        return None
    return {"type": kind}


def _read_geopackage(path: Path, head: bytes, layer: str | None) -> FeatureFile:
    name = path.name
    if head[68:72] not in GEOPACKAGE_APPLICATION_IDS:
        raise FileRejected([RowError(name, None, "", "an SQLite file, but not a GeoPackage")])
    from django.contrib.gis.gdal import DataSource, GDALException

    try:
        source = DataSource(str(path))
    except GDALException as exc:
        raise FileRejected([RowError(name, None, "", f"GDAL cannot open this GeoPackage: {exc}")])
    layers = {source[i].name: source[i] for i in range(source.layer_count)}
    layer = _choose_layer(name, list(layers), layer, field_name="layer")
    source_layer = layers[layer]
    srid = source_layer.srs.srid if source_layer.srs is not None else WGS84
    result = FeatureFile(name=name, format="GeoPackage")
    for row, feature in enumerate(source_layer, start=1):
        properties = {field_name: feature.get(field_name) for field_name in feature.fields}
        try:
            geometry = feature.geom
        except GDALException:  # a feature without geometry
            result.features.append(SourceFeature(row, properties, None, "no geometry"))
            continue
        if srid and srid != WGS84:
            geometry.transform(WGS84)
        result.features.append(
            _make_feature(row, properties, shapely.from_wkb(bytes(geometry.wkb)), WGS84)
        )
    return result


def _make_feature(row: int, properties: dict, geometry, srid: int) -> SourceFeature:
    if geometry is None:
        return SourceFeature(row, properties, None, "no geometry")
    if isinstance(geometry, dict):
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            return SourceFeature(
                row, properties, None, f"geometry type {geometry.get('type')!r}, expected a polygon"
            )
        try:
            geometry = shape(geometry)
        except (
            ValueError, TypeError, IndexError, KeyError, AttributeError, shapely.errors.GEOSException
        ) as exc:
            return SourceFeature(row, properties, None, f"unreadable geometry ({exc})")
    elif geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return SourceFeature(row, properties, None, f"geometry type {geometry.geom_type!r}, expected a polygon")
    if srid != WGS84:
        geometry = _transform_to_wgs84(geometry, srid)
    if geometry.is_empty:
        return SourceFeature(row, properties, None, "empty geometry")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return SourceFeature(
            row,
            properties,
            None,
            "coordinates are not longitude/latitude; a projected file (e.g. RD New) must name its CRS",
        )
    return SourceFeature(row, properties, geometry)


def _transform_to_wgs84(geometry: BaseGeometry, srid: int) -> BaseGeometry:
    from django.contrib.gis.gdal import OGRGeometry

    ogr = OGRGeometry(memoryview(shapely.to_wkb(geometry)), srs=srid)
    ogr.transform(WGS84)
    return shapely.from_wkb(bytes(ogr.wkb))
