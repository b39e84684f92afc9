"""Web-ready boundary files: simplified as a coverage, one file per level and scope.

Neighbouring areas must keep sharing their borders exactly after simplification, or the map
shows slivers and overlaps. So each level is first cleaned into a proper coverage on a
coordinate grid (shapely's coverage_clean, repeated until every vertex lies on the grid), then
simplified with coverage_simplify, which only removes vertices and keeps shared edges shared.
Files are named by a hash of their content and stored gzipped beside the plain file.
"""

import gzip
import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.db import transaction
from shapely.geometry import mapping

from .geometry import from_geos, polygonal_part
from .levels import NEDERLAND_CODE, Level
from .models import Area, WebBoundaryFile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Simplification:
    tolerance: float  # degrees; here 0.001° is about 70 m east–west and 110 m north–south
    decimals: int  # coordinate grid of the output


# The national gemeente map is seen whole; wijken and buurten are seen zoomed into a gemeente.
SIMPLIFICATION = {
    Level.GEMEENTE: Simplification(tolerance=0.0008, decimals=4),
    Level.WIJK: Simplification(tolerance=0.0001, decimals=5),
    Level.BUURT: Simplification(tolerance=0.00005, decimals=5),
}
# Levels written as one national file; the others are written per gemeente.
NATIONAL_LEVELS = {Level.GEMEENTE}
# Snapping distances for successive cleaning rounds, in grid cells; None lets GEOS choose a tiny
# one. A few source borders only meet after a snap of a few metres, so later rounds widen it.
CLEAN_SNAPPING_STEPS = (None, None, None, 2, 5, 10)


def _on_grid(geometries, decimals: int) -> bool:
    coordinates = shapely.get_coordinates(geometries)
    return np.array_equal(coordinates, np.round(coordinates, decimals))


def _snap_to_grid(geometries, decimals: int):
    snapped = shapely.transform(geometries, lambda xy: np.round(xy, decimals))
    return np.array(
        [g if g.is_valid else polygonal_part(shapely.make_valid(g)) for g in snapped], dtype=object
    )


def simplify_coverage(geometries, simplification: Simplification):
    """Simplify polygons that tile a region so that shared borders stay shared.

    Returns an array of valid (Multi)Polygons, in input order, whose vertices lie on the grid
    of ``simplification.decimals``.
    """
    coverage = np.asarray(geometries, dtype=object)
    cell = 10.0 ** -simplification.decimals
    for step in CLEAN_SNAPPING_STEPS:
        snapping = -1 if step is None else step * cell
        coverage = shapely.coverage_clean(
            _snap_to_grid(coverage, simplification.decimals), snapping_distance=snapping
        )
        if _on_grid(coverage, simplification.decimals) and shapely.coverage_is_valid(coverage):
            break
    else:
        invalid = [i for i, edge in enumerate(shapely.coverage_invalid_edges(coverage)) if not edge.is_empty]
        logger.warning("coverage still has unmatched edges at positions %s after cleaning", invalid)
    # coverage_simplify only drops vertices, so the result stays on the grid.
    return shapely.coverage_simplify(coverage, simplification.tolerance)


def _feature_collection(rows, geometries) -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {"code": row["code"], "name": row["name"], "parent": row["parent__code"]},
            "geometry": mapping(geometry),
        }
        for row, geometry in zip(rows, geometries)
        if not geometry.is_empty
    ]
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def _gemeente_of(row, level: Level) -> str:
    return "GM" + row["code"][2:6] if level in (Level.WIJK, Level.BUURT) else NEDERLAND_CODE


def build_web_boundary_files(vintage: int) -> list[WebBoundaryFile]:
    """(Re)write every web boundary file of a vintage; remove the files they replace."""
    root = settings.GEO_WEB_ROOT
    root.mkdir(parents=True, exist_ok=True)
    built: list[WebBoundaryFile] = []
    for level, simplification in SIMPLIFICATION.items():
        rows = list(
            Area.objects.filter(vintage=vintage, level=level, geometry__isnull=False)
            .order_by("code")
            .values("code", "name", "parent__code", "geometry")
        )
        if not rows:
            continue
        simplified = simplify_coverage([from_geos(row["geometry"]) for row in rows], simplification)
        groups = defaultdict(list)
        for row, geometry in zip(rows, simplified):
            scope = NEDERLAND_CODE if level in NATIONAL_LEVELS else _gemeente_of(row, level)
            groups[scope].append((row, geometry))
        for scope, members in groups.items():
            content = _feature_collection([m[0] for m in members], [m[1] for m in members])
            built.append(_store(vintage, level, scope, content, len(members)))
    keep = {item.file_name for item in built}
    with transaction.atomic():
        stale = WebBoundaryFile.objects.filter(vintage=vintage).exclude(file_name__in=keep)
        for item in stale:
            for suffix in ("", ".gz"):
                (root / f"{item.file_name}{suffix}").unlink(missing_ok=True)
        stale.delete()
    logger.info("built %s web boundary files for %s", len(built), vintage)
    return built


def _store(vintage: int, level: Level, scope: str, content: bytes, feature_count: int) -> WebBoundaryFile:
    digest = hashlib.sha256(content).hexdigest()[:12]
    file_name = f"{level.value}-{scope}-{vintage}.{digest}.geojson"
    compressed = gzip.compress(content, compresslevel=9, mtime=0)
    root = settings.GEO_WEB_ROOT
    (root / file_name).write_bytes(content)
    (root / f"{file_name}.gz").write_bytes(compressed)
    previous = WebBoundaryFile.objects.filter(vintage=vintage, level=level, scope=scope).first()
    if previous and previous.file_name != file_name:
        for suffix in ("", ".gz"):
            (root / f"{previous.file_name}{suffix}").unlink(missing_ok=True)
    item, _ = WebBoundaryFile.objects.update_or_create(
        vintage=vintage,
        level=level,
        scope=scope,
        defaults={
            "file_name": file_name,
            "feature_count": feature_count,
            "size_bytes": len(content),
            "gzip_bytes": len(compressed),
        },
    )
    return item
