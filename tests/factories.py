"""Test data: where the real open data lies, and small hand-made files and records.

The real 2024 geography is loaded once per session by the ``geo`` fixture (tests/conftest.py).
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from apps.accounts.models import User

VINTAGE = 2024
BAARN = "GM0308"

# Relative to settings.DATA_DIR.
LOOKUP = "reference/gebiedsindeling_2024.csv"
GEMEENTEN = "boundaries/gemeenten_2024.geojson"
WIJKEN = "boundaries/wijken_2024.geojson"
BAARN_GEMEENTE = "fixtures/baarn/gemeente_2024.geojson"
BAARN_WIJKEN = "fixtures/baarn/wijken_2024.geojson"
BAARN_BUURTEN = "fixtures/baarn/buurten_2024.geojson"


def data_file(relative: str) -> Path:
    """A file of the shared open data; stops the run with a hint when it is not there."""
    path = Path(settings.DATA_DIR) / relative
    if not path.is_file():
        pytest.exit(
            f"test data {relative} not found under DATA_DIR={settings.DATA_DIR}; set DATA_DIR "
            "to the folder that holds the shared open data",
            returncode=4,
        )
    return path


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def feature(properties: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def square(x: float, y: float, size: float = 0.01) -> dict:
    """A small square polygon with its lower left corner at (x, y), in degrees."""
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def bow_tie(x: float, y: float, size: float = 0.01) -> dict:
    """A self-intersecting 'bow-tie' polygon: its ring crosses itself at the centre."""
    ring = [[x, y], [x + size, y + size], [x + size, y], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def write_feature_collection(path: Path, features: list[dict], **extra) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", **extra, "features": features}))
    return path


def login_with_two_factors(client, user):
    """Log ``user`` in as the two-factor login does: password and a verified TOTP device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="default", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def make_superuser(username: str = "beheerder", password: str = "een-lang-wachtwoord") -> User:
    return User.objects.create_superuser(username=username, password=password, email="")


# ---------------------------------------------------------------- TopoJSON


def _rings_of(geometry) -> list[list[list[tuple[float, float]]]]:
    """The polygons of a shapely (Multi)Polygon as lists of rings (open: no closing point)."""
    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    return [
        [list(polygon.exterior.coords)[:-1]]
        + [list(ring.coords)[:-1] for ring in polygon.interiors]
        for polygon in polygons
    ]


def to_topojson(features: list[dict], object_name: str, quantization: int = 10_000_000) -> dict:
    """Convert GeoJSON polygon features to a quantized, delta-encoded TopoJSON Topology.

    Follows the TopoJSON specification the way the reference implementation does: coordinates
    are quantized onto an integer grid (``transform``), every ring is cut into arcs at the
    junctions (points where rings meet with different neighbours), an arc that a neighbour
    already holds is referenced by its ones' complement (``~index``, negative) when it runs
    the other way, and each arc's positions are delta-encoded.
    """
    import shapely
    from shapely.geometry import shape

    geometries = [shape(item["geometry"]) for item in features]
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    scale = ((maxx - minx) / (quantization - 1), (maxy - miny) / (quantization - 1))

    def quantize(point):
        return (round((point[0] - minx) / scale[0]), round((point[1] - miny) / scale[1]))

    polygons_per_feature = []
    for geometry in geometries:
        polygons = []
        for polygon in _rings_of(geometry):
            rings = []
            for ring in polygon:
                points = []
                for point in map(quantize, ring):
                    if not points or points[-1] != point:
                        points.append(point)
                if len(points) > 1 and points[0] == points[-1]:
                    points.pop()
                rings.append(points)
            polygons.append(rings)
        polygons_per_feature.append(polygons)

    # Junctions: points visited with different (unordered) neighbour pairs.
    neighbours: dict[tuple, set] = {}
    for polygons in polygons_per_feature:
        for rings in polygons:
            for ring in rings:
                for i, point in enumerate(ring):
                    pair = frozenset((ring[i - 1], ring[(i + 1) % len(ring)]))
                    neighbours.setdefault(point, set()).add(pair)
    junctions = {point for point, pairs in neighbours.items() if len(pairs) > 1}

    arcs: list[list[tuple]] = []
    index: dict[tuple, int] = {}

    def arc_ref(points: list[tuple]) -> int:
        key = tuple(points)
        if key in index:
            return index[key]
        if key[::-1] in index:
            return ~index[key[::-1]]
        index[key] = len(arcs)
        arcs.append(points)
        return index[key]

    def ring_arcs(ring: list[tuple]) -> list[int]:
        cuts = [i for i, point in enumerate(ring) if point in junctions]
        if not cuts:
            return [arc_ref(ring + [ring[0]])]
        start = cuts[0]
        rotated = ring[start:] + ring[:start]
        rotated.append(rotated[0])
        refs, current = [], [rotated[0]]
        for point in rotated[1:]:
            current.append(point)
            if point in junctions:
                refs.append(arc_ref(current))
                current = [point]
        return refs

    objects = []
    for item, polygons in zip(features, polygons_per_feature, strict=True):
        encoded = [[ring_arcs(ring) for ring in rings] for rings in polygons]
        if len(encoded) == 1:
            objects.append(
                {"type": "Polygon", "arcs": encoded[0], "properties": item["properties"]}
            )
        else:
            objects.append(
                {"type": "MultiPolygon", "arcs": encoded, "properties": item["properties"]}
            )

    def delta(points: list[tuple]) -> list[list[int]]:
        out, previous = [], (0, 0)
        for point in points:
            out.append([point[0] - previous[0], point[1] - previous[1]])
            previous = point
        return out

    return {
        "type": "Topology",
        "transform": {"scale": list(scale), "translate": [minx, miny]},
        "objects": {object_name: {"type": "GeometryCollection", "geometries": objects}},
        "arcs": [delta(arc) for arc in arcs],
    }
