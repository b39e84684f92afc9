"""The open data endpoints other than the values: releases, themes, indicators, areas,
boundaries, zoekgebieden; anonymous access, read only, throttling, caching headers."""

import csv
import io

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from apps.comparisons.models import Zoekgebied
from apps.releases.models import PublishedValue, Release

pytestmark = pytest.mark.usefixtures("geo")

INDICATOR = "aankopen_zonder_hypotheek"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def releases(db):
    """Release 1 (published, past), 2 (current, with synthetic data and zoekgebieden), 3 (ready)."""
    past = Release.objects.create(number=1, status="published", published_at=timezone.now(),
                                  sources=[{"file": "oud.csv", "sha256": "a" * 64, "uploaded_at": "2024-01-01T00:00"}])
    current = Release.objects.create(
        number=2, status="published", is_current=True, published_at=timezone.now(), contains_synthetic=True,
        synthetic_indicators=[INDICATOR], cell_count=4, suppressed_count=1,
        sources=[{"file": "kadaster.csv", "sha256": "b" * 64, "uploaded_at": "2024-06-01T00:00"}],
    )
    Release.objects.create(number=3, status="ready")
    for release, value in ((past, 10.0), (current, 20.0)):
        for code in ("NL00", "GM0308", "GM0363"):
            PublishedValue.objects.create(release=release, indicator=INDICATOR, area_code=code, vintage=2024,
                                          year=2024, value=value, status="V")
    signals = ["aankopen_zonder_hypotheek", "aankopen_door_rechtspersonen"]
    for code, level in (("GM0308", "gemeente"), ("WK030800", "wijk"), ("BU03080000", "buurt"), ("GM0363", "gemeente")):
        Zoekgebied.objects.create(release=current, theme="vastgoed", area_code=code, level=level, vintage=2024,
                                  year=2024, signals=signals, n_signals=2)
    Zoekgebied.objects.create(release=past, theme="drugs", area_code="GM0308", level="gemeente", vintage=2024,
                              year=2023, signals=["hennepkwekerijen_per_1000_woningen"], n_signals=1)
    return past, current


# -------------------------------------------------------------------------------------- releases


def test_releases_list_only_published(api, releases):
    response = api.get("/api/v1/releases/")
    assert response.status_code == 200
    rows = response.json()
    assert [row["nummer"] for row in rows] == [2, 1]
    current = rows[0]
    assert current["is_huidig"] is True and rows[1]["is_huidig"] is False
    assert current["bevat_synthetische_data"] is True and current["synthetische_indicatoren"] == [INDICATOR]
    assert current["bronnen"] == [{"bestand": "kadaster.csv", "sha256": "b" * 64, "geupload_op": "2024-06-01T00:00"}]
    assert current["links"]["waarden"] == "/api/v1/waarden/?release=2"
    assert current["gepubliceerd_op"]
    assert "disclosure_report" not in current and "published_by" not in current


def test_release_detail_and_unpublished_is_404(api, releases):
    assert api.get("/api/v1/releases/1/").json()["nummer"] == 1
    missing = api.get("/api/v1/releases/3/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert api.get("/api/v1/releases/99/").status_code == 404


# -------------------------------------------------------------------------------- themes, indicators


def test_themes(api, releases):
    rows = api.get("/api/v1/themas/").json()
    assert [row["slug"] for row in rows] == ["vastgoed", "drugs", "transacties", "branches", "context"]
    vastgoed = rows[0]
    assert vastgoed["naam"] == "Vastgoed" and INDICATOR in vastgoed["indicatoren"] and vastgoed["introductie"]
    assert api.get("/api/v1/themas/", {"taal": "en"}).json()[0]["naam"] == "Real estate"


def test_indicators_and_their_public_fields_only(api, releases):
    rows = api.get("/api/v1/indicatoren/").json()
    assert len(rows) > 20
    row = next(row for row in rows if row["slug"] == INDICATOR)
    assert row["thema"] == "vastgoed" and row["naam"] == row["naam_nl"] and row["definitie"] and row["eenheid"]
    assert row["niveaus"] == ["land", "provincie", "gemeente", "wijk", "buurt"] and row["bronnen"]
    assert row["bronnen"][0]["naam"] and row["kanttekening"] and row["jaren"] == [2024] and row["synthetisch"] is True
    secret = {"counts", "denominator_counts", "dominance", "p_percent", "rounding", "compute"}
    assert not secret & set(row)
    themed = api.get("/api/v1/indicatoren/", {"thema": "drugs"}).json()
    assert themed and all(r["thema"] == "drugs" for r in themed)
    english = api.get(f"/api/v1/indicatoren/{INDICATOR}/", {"taal": "en"}).json()
    assert english["naam"] == english["naam_en"] != english["naam_nl"]
    text = api.get("/api/v1/indicatoren/", {"formaat": "csv"}).content.decode()
    assert next(csv.DictReader(io.StringIO(text)))["slug"]


def test_indicator_errors(api, releases):
    assert api.get("/api/v1/indicatoren/bestaat_niet/").status_code == 404
    bad = api.get("/api/v1/indicatoren/", {"thema": "onzin"})
    assert bad.status_code == 400 and "thema" in bad.json()["fields"]


# ------------------------------------------------------------------------------------------- areas


def test_area_list_filters(api, releases):
    buurten = api.get("/api/v1/gebieden/", {"niveau": "buurt", "binnen": "GM0308", "page_size": 200}).json()
    assert buurten["count"] == 21 and all(row["gebied"].startswith("BU0308") for row in buurten["results"])
    assert buurten["results"][0]["ouder"].startswith("WK0308") and buurten["results"][0]["indeling"] == 2024
    gemeenten = api.get("/api/v1/gebieden/", {"niveau": "gemeente"}).json()
    assert gemeenten["count"] > 300 and len(gemeenten["results"]) == 50
    utrecht = api.get("/api/v1/gebieden/", {"niveau": "gemeente", "binnen": "PV26", "page_size": 100}).json()
    assert "GM0308" in {row["gebied"] for row in utrecht["results"]}
    found = api.get("/api/v1/gebieden/", {"q": "Baarn"}).json()["results"]
    assert found[0]["gebied"] == "GM0308"
    only_buurten = api.get("/api/v1/gebieden/", {"q": "Baarn", "niveau": "buurt"}).json()["results"]
    assert all(row["niveau"] == "buurt" for row in only_buurten)
    text = api.get("/api/v1/gebieden/", {"niveau": "wijk", "binnen": "GM0308", "formaat": "csv"}).content.decode()
    assert len(list(csv.DictReader(io.StringIO(text)))) >= 5


@pytest.mark.parametrize(("params", "field"), [
    ({"niveau": "stad"}, "niveau"),
    ({"binnen": "12345"}, "binnen"),
    ({"binnen": "BU03080000"}, "binnen"),
    ({"niveau": "gemeente", "binnen": "GM0308"}, "binnen"),
    ({"indeling": "twee"}, "indeling"),
])
def test_area_list_bad_parameters(api, releases, params, field):
    response = api.get("/api/v1/gebieden/", params)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_area_detail(api, releases):
    body = api.get("/api/v1/gebieden/BU03080000/").json()
    assert body["niveau"] == "buurt" and body["naam"]
    assert [a["niveau"] for a in body["ouders"]] == ["land", "provincie", "gemeente", "wijk"]
    gemeente = api.get("/api/v1/gebieden/GM0308/").json()
    assert gemeente["aantal_onderliggend"]["buurt"] == 21 and gemeente["aantal_onderliggend"]["wijk"] >= 5
    assert gemeente["links"]["grens"] == "/api/v1/gebieden/GM0308/grens/?indeling=2024"
    assert api.get("/api/v1/gebieden/gm0308/").json()["gebied"] == "GM0308"
    assert api.get("/api/v1/gebieden/GM9999/").status_code == 404
    malformed = api.get("/api/v1/gebieden/XX/")
    assert malformed.status_code == 400 and "code" in malformed.json()["fields"]
    assert api.get("/api/v1/gebieden/GM0308/", {"indeling": 1999}).status_code == 404


def _coordinates(geometry):
    stack = [geometry["coordinates"]]
    while stack:
        item = stack.pop()
        if isinstance(item[0], (int, float)):
            yield item
        else:
            stack.extend(item)


@pytest.mark.parametrize("code", ["GM0308", "WK030800", "BU03080000", "PV26", "NL00"])
def test_area_boundary_geojson(api, releases, code):
    response = api.get(f"/api/v1/gebieden/{code}/grens/")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature" and feature["properties"]["gebied"] == code
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    points = list(_coordinates(feature["geometry"]))
    assert points and all(3 < x < 8 and 50 < y < 54 for x, y in points)  # EPSG:4326, the Netherlands
    assert all(round(x, 6) == x and round(y, 6) == y for x, y in points)


def test_boundary_collection(api, releases):
    response = api.get("/api/v1/grenzen/", {"niveau": "buurt", "binnen": "GM0308"})
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 21
    provincies = api.get("/api/v1/grenzen/", {"niveau": "provincie", "binnen": "NL00"}).json()
    assert len(provincies["features"]) == 12
    wijk = api.get("/api/v1/grenzen/", {"niveau": "buurt", "binnen": "WK030800"}).json()
    assert wijk["features"] and all(f["properties"]["ouder"] == "WK030800" for f in wijk["features"])
    for params in ({"niveau": "buurt"}, {"niveau": "buurt", "binnen": "NL00"}, {"niveau": "gemeente", "binnen": "BU0308"}):
        bad = api.get("/api/v1/grenzen/", params)
        assert bad.status_code == 400 and bad["Content-Type"] == "application/json"


# ------------------------------------------------------------------------------------ zoekgebieden


def test_zoekgebieden(api, releases):
    body = api.get("/api/v1/zoekgebieden/").json()
    assert body["release"] == 2
    codes = {row["gebied"] for row in body["results"]}
    assert codes == {"GM0308", "WK030800", "GM0363"}  # never buurt-level: that is the workspace's depth
    row = next(row for row in body["results"] if row["gebied"] == "GM0308")
    assert row["thema"] == "vastgoed" and row["naam"] == "Baarn" and row["aantal_signalen"] == 2
    assert {s["indicator"] for s in row["signalen"]} == {INDICATOR, "aankopen_door_rechtspersonen"}
    assert all(s["naam"] for s in row["signalen"])
    inside = api.get("/api/v1/zoekgebieden/", {"binnen": "GM0308"}).json()["results"]
    assert {r["gebied"] for r in inside} == {"GM0308", "WK030800"}
    wijken = api.get("/api/v1/zoekgebieden/", {"niveau": "wijk"}).json()["results"]
    assert {r["gebied"] for r in wijken} == {"WK030800"}
    past = api.get("/api/v1/zoekgebieden/", {"release": 1}).json()["results"]
    assert [(r["thema"], r["jaar"]) for r in past] == [("drugs", 2023)]
    assert api.get("/api/v1/zoekgebieden/", {"thema": "drugs"}).json()["count"] == 0
    text = api.get("/api/v1/zoekgebieden/", {"formaat": "csv"}).content.decode()
    assert "BU03080000" not in text and "GM0363" in text
    for params, field in (({"niveau": "buurt"}, "niveau"), ({"release": 3}, "release"), ({"thema": "x"}, "thema")):
        bad = api.get("/api/v1/zoekgebieden/", params)
        assert bad.status_code == 400 and field in bad.json()["fields"]


# --------------------------------------------------------------------------- access, caching, limits

ENDPOINTS = ["/api/v1/releases/", "/api/v1/releases/2/", "/api/v1/themas/", "/api/v1/indicatoren/",
             f"/api/v1/indicatoren/{INDICATOR}/", "/api/v1/gebieden/", "/api/v1/gebieden/GM0308/",
             "/api/v1/gebieden/GM0308/grens/", "/api/v1/grenzen/?niveau=wijk&binnen=GM0308",
             f"/api/v1/waarden/?indicator={INDICATOR}", "/api/v1/zoekgebieden/"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anyone_may_read_and_nobody_may_write(api, releases, url):
    response = api.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=") and response["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert api.head(url).status_code == 200
    assert api.options(url).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        refused = getattr(api, method)(url, {}, format="json")
        assert refused.status_code == 405 and refused.json()["code"] == "method_not_allowed"


def test_cache_control_per_release(api, releases):
    current = api.get("/api/v1/zoekgebieden/")
    assert current["Cache-Control"] == "public, max-age=300"
    past = api.get("/api/v1/zoekgebieden/", {"release": 1})
    assert past["Cache-Control"] == "public, max-age=31536000, immutable"
    assert past["ETag"] != current["ETag"]
    assert "Accept-Language" in past["Vary"]


def test_anonymous_throttling(api, releases, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "600/min"})
    statuses = [api.get("/api/v1/themas/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get("/api/v1/themas/")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "throttled" and limited["Cache-Control"] == "no-store"
