"""Searching areas by the names people type: aliases, accents, typos, ranking (issue 14, item 9).

On the national 2024 list. The same tests run on SpatiaLite (names.py's functions registered in
SQLite) and on PostGIS in CI (pg_trgm and migration 0003's SQL function): they state the contract,
not a backend's numbers.
"""

import csv
import time

import pytest
from django.db import connection

from apps.geography import names, services
from apps.geography.levels import Level
from apps.geography.models import Area
from apps.geography.selectors import Match, best_match, search_areas
from tests.factories import BAARN, LOOKUP, VINTAGE, data_file

DEN_HAAG, DEN_BOSCH, AMSTERDAM, ROTTERDAM = "GM0518", "GM0796", "GM0363", "GM0599"
BERGEN_NH, BERGEN_L, SUDWEST_FRYSLAN = "GM0373", "GM0893", "GM1900"


def codes(query: str, **kwargs) -> list[str]:
    return [area.code for area in search_areas(query=query, vintage=VINTAGE, **kwargs)]


# ---------------------------------------------------------------- the normal form (pure)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("'s-Gravenhage", "s gravenhage"),
        ("s Gravenhage", "s gravenhage"),
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("  Bergen (NH.) ", "bergen nh"),
        ("Nuenen, Gerwen en Nederwetten", "nuenen gerwen en nederwetten"),
        ("IJsselstein", "ijsselstein"),
        ("Ĳsselstein", "ijsselstein"),
        ("Straße", "strasse"),
        ("!!!", ""),
    ],
)
def test_normalise_ignores_case_accents_and_punctuation(typed, normal):
    assert names.normalise(typed) == normal


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    # pg_trgm's own examples and values (SELECT similarity(...) on PostgreSQL 15).
    [("word", "two words", 4 / 11), ("amsterdm", "Amsterdam", 7 / 12), ("abc", "abc", 1.0), ("", "x", 0.0)],
)
def test_similarity_is_pg_trgms(first, second, expected):
    assert names.similarity(first, second) == pytest.approx(expected)


def test_every_alias_names_a_gemeente_of_the_national_list(geo):
    gemeenten = dict(
        Area.objects.filter(vintage=VINTAGE, level=Level.GEMEENTE).values_list("code", "name")
    )
    assert names.aliases()
    for alias, alias_codes in names.aliases().items():
        for code in alias_codes:
            assert code in gemeenten, (alias, code)
            # An alias that is the CBS name, or its spelling, would hide nothing and is noise.
            assert names.compact(gemeenten[code]) != alias, alias


# ---------------------------------------------------------------- everyday names


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Den Haag", DEN_HAAG),
        ("den haag", DEN_HAAG),
        ("DenHaag", DEN_HAAG),
        ("The Hague", DEN_HAAG),
        ("s-Gravenhage", DEN_HAAG),
        ("'s Gravenhage", DEN_HAAG),
        ("Den Bosch", DEN_BOSCH),
        ("s-Hertogenbosch", DEN_BOSCH),
        ("sudwest fryslan", SUDWEST_FRYSLAN),
        ("Zuidwest-Friesland", SUDWEST_FRYSLAN),
        ("Hengelo", "GM0164"),
    ],
)
def test_everyday_names_find_their_gemeente_first(geo, query, expected):
    found = search_areas(query=query, vintage=VINTAGE)
    assert found[0].code == expected
    assert found[0].match == Match.EXACT
    assert best_match(found) == found[0]


@pytest.mark.parametrize(("query", "expected"), [("Amsterdm", AMSTERDAM), ("Roterdam", ROTTERDAM),
                                                 ("Den Haga", DEN_HAAG), ("Groningn", "GM0014")])
def test_small_typos_are_forgiven(geo, query, expected):
    found = search_areas(query=query, vintage=VINTAGE)
    assert found[0].code == expected
    assert {area.match for area in found} == {Match.SIMILAR}
    assert best_match(found) is None  # a guess is shown, not gone to


LEVEL_ORDER = [Level.GEMEENTE, Level.WIJK, Level.BUURT]


def test_bergen_lists_both_gemeenten_before_any_buurt(geo):
    found = search_areas(query="Bergen", vintage=VINTAGE)
    assert {area.code for area in found[:2]} == {BERGEN_NH, BERGEN_L}
    assert any(area.level == Level.BUURT for area in found)
    # Within the exact names, and within the names that contain "bergen": gemeente, wijk, buurt.
    for tier in (Match.EXACT, Match.CONTAINS):
        levels = [LEVEL_ORDER.index(area.level) for area in found if area.match == tier]
        assert levels == sorted(levels), tier
    assert best_match(found) is None  # two gemeenten: the visitor chooses


def test_exact_names_come_before_names_that_contain_the_query(geo):
    found = search_areas(query="Bergen", vintage=VINTAGE, limit=100)
    matches = [area.match for area in found]
    assert matches == sorted(matches)
    assert Match.EXACT in matches and Match.CONTAINS in matches
    # "Bergen op Zoom" contains the query, so it comes after every exact "Bergen".
    bergen_op_zoom = next(i for i, area in enumerate(found) if area.code == "GM0748")
    assert all(area.match == Match.CONTAINS for area in found[bergen_op_zoom:])


# ---------------------------------------------------------------- what worked before still works


def test_a_code_still_comes_first(geo):
    found = search_areas(query="gm 0308", vintage=VINTAGE)
    assert found[0].code == BAARN and found[0].match == Match.CODE
    assert best_match(found).code == BAARN


def test_a_postcode_still_lists_its_buurten(geo):
    found = codes("3743 AB")
    assert found and all(code.startswith("BU0308") for code in found)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "'", "%", "_", "xqzvw", "a" * 100])
def test_empty_or_junk_queries_find_nothing(geo, query):
    assert search_areas(query=query, vintage=VINTAGE) == []


# ---------------------------------------------------------------- the pages that search


def test_the_search_page_goes_straight_to_an_everyday_name(client, geo):
    response = client.get("/zoeken/", {"q": "Den Haag"})
    assert response.status_code == 302
    assert response["Location"] == f"/gemeente/{DEN_HAAG}/"


def test_the_search_page_lists_a_typos_guesses_with_the_best_first(client, geo):
    response = client.get("/zoeken/", {"q": "Amsterdm"})
    assert response.status_code == 200
    assert response.context["results"][0].code == AMSTERDAM


def test_the_search_page_lists_both_gemeenten_bergen_first(client, geo):
    response = client.get("/zoeken/", {"q": "Bergen"})
    assert response.status_code == 200
    page = response.content.decode()
    first_buurt = page.index('href="/buurt/')
    assert page.index(f'href="/gemeente/{BERGEN_NH}/"') < first_buurt
    assert page.index(f'href="/gemeente/{BERGEN_L}/"') < first_buurt


def test_the_compare_page_resolves_an_everyday_name(geo):
    from apps.dashboards.views import _resolve_area

    assert _resolve_area("Den Haag", VINTAGE) == DEN_HAAG
    assert _resolve_area("Amsterdm", VINTAGE) == AMSTERDAM
    assert _resolve_area("gm0308", VINTAGE) == BAARN


def test_the_api_filters_areas_by_an_everyday_name(client, geo):
    response = client.get("/api/v1/gebieden/", {"q": "Den Haag", "niveau": "gemeente"})
    assert response.status_code == 200, response.content
    assert [row["gebied"] for row in response.json()["results"]] == [DEN_HAAG]


# ---------------------------------------------------------------- speed and the two backends


def test_a_search_on_the_national_list_is_quick(geo):
    queries = ["Amsterdm", "Bergen", "Den Haag", "vuursche", "a", "Sudwest Fryslan", "Groningn"]
    search_areas(query="warm up", vintage=VINTAGE)  # the first search of a process reads the names
    started = time.perf_counter()
    for query in queries:
        search_areas(query=query, vintage=VINTAGE)
    per_search = (time.perf_counter() - started) / len(queries)
    # Measured 15 to 60 ms a search on SpatiaLite and on PostGIS, on two cores shared with four
    # other test runs; computing the normal form per row, in SQL or in Python, took 0.3 to 2.5 s.
    assert per_search < 0.2, per_search


def test_a_search_sees_names_an_import_changed(geo, tmp_path):
    assert codes("Zqxjw Vlpm") == []  # the names of the indeling are read (in memory on SQLite)
    lookup = tmp_path / "gebiedsindeling.csv"
    lookup.write_text(
        "buurtcode,buurtnaam,wijkcode,wijknaam,gemeentecode,gemeentenaam,provinciecode,provincienaam\n"
        "BU03080000,Zqxjw Vlpm,WK030800,Wijk 00 Baarn,GM0308,Baarn,PV26,Utrecht\n",
        encoding="utf-8",
    )
    services.import_area_lookup(lookup, vintage=VINTAGE)
    assert codes("Zqxjw Vlpm") == ["BU03080000"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL twin of normalise is PostgreSQL's")
def test_postgresql_normalises_every_name_as_python_does(geo):
    with data_file(LOOKUP).open(encoding="utf-8") as handle:
        every_name = {
            value for row in csv.DictReader(handle) for column, value in row.items() if column.endswith("naam")
        }
    every_name |= {"Ĳsselstein", "Straße", "ÀÉÎÕÜ çñ", "a--b  c", "  "}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, zicht_search_name(name) FROM unnest(%s::text[]) AS name", [sorted(every_name)])
        in_sql = dict(cursor.fetchall())
    assert {name: normal for name, normal in in_sql.items() if normal != names.normalise(name)} == {}
