"""The real 2024 data, imported once per session (tests/conftest.py): a complete hierarchy."""

import shapely
from django.db.models import Count

from apps.geography import services
from apps.geography.geometry import from_geos
from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area, BoundaryImport, GeometrySource
from tests.factories import BAARN, BAARN_WIJKEN, LOOKUP, VINTAGE, data_file

EXPECTED_COUNTS = {
    Level.LAND: 1,
    Level.PROVINCIE: 12,
    Level.GEMEENTE: 342,
    Level.WIJK: 3393,
    Level.BUURT: 14574,
}
PARENT_LEVEL = {
    Level.PROVINCIE: Level.LAND,
    Level.GEMEENTE: Level.PROVINCIE,
    Level.WIJK: Level.GEMEENTE,
    Level.BUURT: Level.WIJK,
}


def areas():
    return Area.objects.filter(vintage=VINTAGE)


def test_every_level_has_the_published_number_of_areas(geo):
    counts = dict(areas().values_list("level").annotate(n=Count("id")))
    assert counts == {level.value: n for level, n in EXPECTED_COUNTS.items()}


def test_the_session_imports_reported_what_they_added(geo):
    # lookup: every buurt, wijk, gemeente and provincie of the CSV plus Nederland
    assert geo.lookup.created == sum(EXPECTED_COUNTS.values())
    assert geo.lookup.updated == 0
    # the boundary files only add geometry to areas the lookup already made
    assert geo.boundaries["gemeente"].created == 0
    assert geo.boundaries["gemeente"].updated == 342
    assert geo.boundaries["wijk"].created == 0
    assert geo.boundaries["wijk"].updated == 3393
    assert geo.boundaries["buurt"].updated == 21
    for report in geo.boundaries.values():
        assert report.without_parent == []
    kinds = list(BoundaryImport.objects.order_by("id").values_list("kind", "level"))
    assert kinds == [
        ("lookup", ""),
        ("boundaries", "gemeente"),
        ("boundaries", "wijk"),
        ("boundaries", "buurt"),
    ]


def test_every_area_has_a_parent_one_level_up(geo):
    assert areas().get(code=NEDERLAND_CODE).parent is None
    for level, parent_level in PARENT_LEVEL.items():
        of_level = areas().filter(level=level)
        assert not of_level.filter(parent__isnull=True).exists(), level
        wrong = of_level.exclude(parent__level=parent_level)
        assert not wrong.exists(), (level, list(wrong.values_list("code", "parent__code")[:5]))
    # and the parents all lie in the same vintage
    assert not areas().exclude(parent__isnull=True).exclude(parent__vintage=VINTAGE).exists()


def test_parents_follow_the_cbs_code_rule(geo):
    baarn_wijk = areas().select_related("parent__parent__parent").get(code="WK030800")
    assert baarn_wijk.parent.code == BAARN
    assert baarn_wijk.parent.parent.code == "PV26"  # Utrecht, from the lookup
    assert baarn_wijk.parent.parent.name == "Utrecht"
    assert baarn_wijk.parent.parent.parent.code == NEDERLAND_CODE
    mismatched = [
        code
        for code, parent in areas().filter(level=Level.BUURT).values_list("code", "parent__code")
        if parent != "WK" + code[2:8]
    ]
    assert mismatched == []


def test_letter_codes_are_kept_as_strings(geo):
    buurt = areas().select_related("parent__parent").get(code="BU0363AD03")
    assert buurt.level == Level.BUURT
    assert buurt.name == "Nieuwendijk-Noord"
    assert buurt.parent.code == "WK0363AD"
    assert buurt.parent.name == "Burgwallen-Nieuwe Zijde"
    assert buurt.parent.parent.code == "GM0363"
    # codes keep their leading zeros and fixed length
    assert areas().filter(code="GM0014").exists()
    lengths = {"gemeente": {6}, "wijk": {8}, "buurt": {10}}
    for level, expected in lengths.items():
        found = {len(code) for code in areas().filter(level=level).values_list("code", flat=True)}
        assert found == expected, level


def test_provincies_and_nederland_get_a_dissolved_boundary(geo):
    assert sorted(geo.dissolved) == sorted(
        list(areas().filter(level=Level.PROVINCIE).values_list("code", flat=True))
        + [NEDERLAND_CODE]
    )
    top = areas().filter(level__in=[Level.PROVINCIE, Level.LAND])
    assert top.count() == 13
    for area in top:
        assert area.geometry_source == GeometrySource.DISSOLVED, area.code
        assert area.geometry is not None and area.geometry.valid, area.code


def test_dissolved_provincie_matches_its_gemeenten(geo):
    utrecht = areas().get(code="PV26")
    provincie = from_geos(utrecht.geometry)
    parts = [
        from_geos(g) for g in areas().filter(parent=utrecht).values_list("geometry", flat=True)
    ]
    union = shapely.union_all(parts)
    # the dissolve closes only hairline slivers, so the areas agree closely
    assert abs(provincie.area - union.area) / union.area < 0.005
    assert provincie.symmetric_difference(union).area / union.area < 0.005
    # and Nederland holds every provincie
    nederland = from_geos(areas().get(code=NEDERLAND_CODE).geometry)
    assert nederland.buffer(1e-6).contains(provincie)


def test_only_the_loaded_buurten_have_a_boundary(geo):
    buurten = areas().filter(level=Level.BUURT)
    with_boundary = buurten.exclude(geometry_source=GeometrySource.NONE)
    assert with_boundary.count() == 21
    assert set(with_boundary.values_list("parent__parent__code", flat=True)) == {BAARN}
    assert not with_boundary.filter(geometry__isnull=True).exists()
    outside = buurten.exclude(parent__parent__code=BAARN)
    assert outside.count() == 14574 - 21
    assert not outside.filter(geometry__isnull=False).exists()
    assert set(outside.values_list("geometry_source", flat=True)) == {GeometrySource.NONE}
    # every gemeente and wijk has its boundary from the national files
    for level in (Level.GEMEENTE, Level.WIJK):
        assert set(areas().filter(level=level).values_list("geometry_source", flat=True)) == {
            GeometrySource.FILE
        }


def test_stored_boundaries_are_valid_multipolygons_in_wgs84(geo):
    for area in areas().filter(parent__parent__code=BAARN) | areas().filter(parent__code=BAARN):
        assert area.geometry.geom_type == "MultiPolygon", area.code
        assert area.geometry.srid == 4326
        assert area.geometry.valid, area.code
        lon, lat = area.geometry.centroid.coords
        assert 5.2 < lon < 5.4 and 52.1 < lat < 52.3, (area.code, lon, lat)


def test_reimporting_the_lookup_changes_nothing(geo):
    before = areas().count()
    parents_before = dict(areas().values_list("code", "parent__code"))
    report = services.import_area_lookup(data_file(LOOKUP), vintage=VINTAGE)
    assert (report.created, report.updated) == (0, 0)
    assert areas().count() == before
    assert dict(areas().values_list("code", "parent__code")) == parents_before
    assert not areas().values("code").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_reimporting_a_boundary_file_updates_in_place(geo):
    before = areas().count()
    old = from_geos(areas().get(code="WK030800").geometry)
    report = services.import_boundaries(data_file(BAARN_WIJKEN), level=Level.WIJK, vintage=VINTAGE)
    assert (report.created, report.updated) == (0, 5)
    assert report.repaired == []
    assert areas().count() == before
    wijk = areas().get(code="WK030800")
    assert wijk.name == "Wijk 00 Baarn"  # the lookup's name stays
    assert wijk.parent.code == BAARN
    assert from_geos(wijk.geometry).equals(old)
    assert not areas().values("code").annotate(n=Count("id")).filter(n__gt=1).exists()
    record = BoundaryImport.objects.latest("id")
    assert (record.file_name, record.level, record.created_count, record.updated_count) == (
        "wijken_2024.geojson",
        "wijk",
        0,
        5,
    )
    assert len(record.checksum) == 64
