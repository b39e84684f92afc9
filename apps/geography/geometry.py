"""Shapely helpers shared by the boundary import, the dissolve and the web files.

Shapely (with its bundled GEOS 3.14) does the geometry work; Django's GEOS types are used only
to store the result.
"""

import shapely
from django.contrib.gis.geos import GEOSGeometry
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")


def polygonal_part(geometry: BaseGeometry) -> shapely.MultiPolygon:
    """The polygons of a geometry as one MultiPolygon (lines and points dropped)."""
    if geometry.geom_type == "MultiPolygon":
        return geometry
    if geometry.geom_type == "Polygon":
        return shapely.MultiPolygon([geometry])
    polygons = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            polygons.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            polygons.extend(polygonal_part(part).geoms)
    return shapely.MultiPolygon(polygons)


def repair(geometry: BaseGeometry) -> tuple[shapely.MultiPolygon, str | None]:
    """A valid MultiPolygon for the geometry, and why it was invalid (None when it was valid)."""
    if geometry.is_valid:
        return polygonal_part(geometry), None
    reason = shapely.is_valid_reason(geometry)
    return polygonal_part(shapely.make_valid(geometry, method="structure")), reason


def to_geos(geometry: BaseGeometry, srid: int = 4326) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(geometry)), srid=srid)


def from_geos(geometry: GEOSGeometry) -> BaseGeometry:
    return shapely.from_wkb(bytes(geometry.wkb))
