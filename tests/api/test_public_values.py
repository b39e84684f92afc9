"""The open data values endpoint (/api/v1/waarden/) over a release built by the real pipeline:
filters, withheld cells, CSV, ETag and Cache-Control, bad parameters, a fixed number of queries."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.releases.models import PublishedValue, Release
from tests.dashboards.conftest import BAARN_BUURTEN, THIN_BUURT, _module_release, published  # noqa: F401

URL = "/api/v1/waarden/"
INDICATOR = "aankopen_zonder_hypotheek"


@pytest.fixture
def api():
    return APIClient()


def get(api, **params):
    return api.get(URL, params)


def test_one_indicator_all_buurten_of_a_gemeente(api, published):
    response = get(api, indicator=INDICATOR, niveau="buurt", binnen="GM0308", jaar=2024, page_size=200)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["release"] == published.number
    codes = [row["gebied"] for row in body["results"]]
    assert codes == sorted(codes) and set(BAARN_BUURTEN) <= set(codes)
    assert all(code.startswith("BU0308") for code in codes)
    row = next(row for row in body["results"] if row["gebied"] == BAARN_BUURTEN[0])
    assert row["indicator"] == INDICATOR and row["niveau"] == "buurt" and row["jaar"] == 2024
    assert row["naam"] and row["indeling"] == 2024 and row["sbi"] is None
    assert row["status"] == "V" and isinstance(row["waarde"], float)
    assert row["status_tekst"] and row["eenheid"]
    assert set(row["vergelijking"]) == {"index_nl", "index_provincie", "index_peers", "peergroep", "index_knn", "knn"}
    assert set(row["significantie"]) == {"nl", "provincie", "peers"}
    assert set(row["verandering"]) == {"absoluut", "procent", "reeksbreuk"}
    assert row["synthetisch"] is True  # purchases are synthetic in the fixture


def test_all_gemeenten_and_pagination(api, published):
    first = get(api, indicator=INDICATOR, niveau="gemeente", jaar=2024).json()
    assert first["count"] > 300 and len(first["results"]) == 50
    assert first["previous"] is None and "page=2" in first["next"]
    second = api.get(first["next"]).json()
    assert second["results"][0]["gebied"] > first["results"][-1]["gebied"]
    assert all(row["niveau"] == "gemeente" for row in first["results"])
    beyond = get(api, indicator=INDICATOR, niveau="gemeente", jaar=2024, page=999)
    assert beyond.status_code == 400 and "page" in beyond.json()["fields"]


def test_withheld_cell_is_null_with_its_status_and_no_comparison(api, published):
    # The fixture stores comparisons beside the withheld cell too, to see that none comes out.
    PublishedValue.objects.filter(release=published, indicator=INDICATOR, area_code=THIN_BUURT, year=2024).update(
        index_nl=123.4, percentile=88.0, change=5.5, sig_nl="+")
    response = get(api, indicator=INDICATOR, gebied=THIN_BUURT, jaar=2024)
    [row] = response.json()["results"]
    assert row["waarde"] is None and row["status"] in {"A", "B", "T", "D"}
    assert row["status_tekst"].startswith(("geheim", "secret"))
    assert all(value is None for value in row["vergelijking"].values())
    assert all(value is None for value in row["significantie"].values())
    assert row["percentiel"] is None and row["percentiel_gemeente"] is None
    assert row["verandering"]["absoluut"] is None and row["verandering"]["procent"] is None
    text = get(api, indicator=INDICATOR, gebied=THIN_BUURT, jaar=2024, formaat="csv").content.decode()
    assert "123.4" not in text and "88.0" not in text and "5.5" not in text


def test_filters(api, published):
    both = get(api, indicator=f"{INDICATOR},inwoners", gebied="GM0308,GM0363", jaar=2024).json()["results"]
    assert {(r["indicator"], r["gebied"]) for r in both} == {
        (i, g) for i in (INDICATOR, "inwoners") for g in ("GM0308", "GM0363")}
    assert [r["indicator"] for r in both] == sorted(r["indicator"] for r in both)
    repeated = api.get(URL + f"?indicator={INDICATOR}&indicator=inwoners&gebied=GM0308&gebied=GM0363&jaar=2024")
    assert repeated.json()["results"] == both
    years = get(api, indicator=INDICATOR, gebied="GM0308").json()["results"]
    assert [r["jaar"] for r in years] == [2023, 2024]
    theme = get(api, thema="vastgoed", gebied="GM0308", jaar=2024).json()["results"]
    assert {r["indicator"] for r in theme} >= {INDICATOR, "gemiddelde_koopsom"}
    provincie = get(api, indicator="inwoners", niveau="gemeente", binnen="PV26", jaar=2024).json()
    assert 0 < provincie["count"] < 40  # the gemeenten of Utrecht
    assert any(r["gebied"] == "GM0308" for r in get(api, indicator="inwoners", niveau="gemeente", binnen="PV26",
                                                        jaar=2024, page_size=200).json()["results"])
    wijk = get(api, indicator="inwoners", niveau="buurt", binnen="WK030800", jaar=2024).json()["results"]
    assert wijk and all(r["gebied"].startswith("BU030800") for r in wijk)
    nederland = get(api, indicator="inwoners", niveau="land").json()["results"]
    assert {r["gebied"] for r in nederland} == {"NL00"}
    sections = get(api, indicator="vestigingen", gebied="GM0308", sbi="G").json()["results"]
    assert sections and all(r["sbi"] == "G" for r in sections)
    assert all(r["sbi"] is None for r in get(api, indicator="vestigingen", gebied="GM0308").json()["results"])


def test_a_past_release_by_number(api, published):
    response = get(api, indicator=INDICATOR, gebied="GM0308", release=published.number)
    assert response.status_code == 200 and response.json()["release"] == published.number
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    current = get(api, indicator=INDICATOR, gebied="GM0308")
    assert current["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"indicator": "bestaat_niet"}, "indicator", "/api/v1/indicatoren/"),
    ({}, "indicator", "/api/v1/indicatoren/"),
    ({"thema": "onzin"}, "thema", "vastgoed"),
    ({"indicator": "jonge_aanwas", "niveau": "buurt"}, "niveau", "gemeente"),
    ({"indicator": INDICATOR, "niveau": "stad"}, "niveau", "gemeente"),
    ({"indicator": INDICATOR, "gebied": "GM308"}, "gebied", "GM0363"),
    ({"indicator": INDICATOR, "niveau": "buurt", "binnen": "XX12"}, "binnen", "GM0363"),
    ({"indicator": INDICATOR, "niveau": "gemeente", "binnen": "GM0308"}, "binnen", "gemeente"),
    ({"indicator": INDICATOR, "niveau": "gemeente", "gebied": "BU03080000"}, "gebied", "gemeente"),
    ({"indicator": INDICATOR, "release": 99}, "release", "99"),
    ({"indicator": INDICATOR, "release": "een"}, "release", ""),
    ({"indicator": INDICATOR, "jaar": 1990}, "jaar", "2024"),
    ({"indicator": INDICATOR, "jaar": "vorig"}, "jaar", ""),
    ({"indicator": INDICATOR, "sbi": "Z"}, "sbi", "A"),
    ({"indicator": INDICATOR, "sbi": "G"}, "sbi", INDICATOR),
    ({"indicator": INDICATOR, "formaat": "xml"}, "formaat", "csv"),
    ({"indicator": INDICATOR, "page_size": 1000}, "page_size", "200"),
])
def test_bad_parameters_are_400_naming_the_field(api, published, params, field, words):
    response = get(api, **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["fields"] and body["detail"].startswith(field)
    assert words in body["detail"]
    assert response["Cache-Control"] == "no-store"


def test_an_unpublished_release_is_refused(api, published):
    Release.objects.create(number=published.number + 1, status=Release.Status.READY)
    response = get(api, indicator=INDICATOR, release=published.number + 1)
    assert response.status_code == 400 and "release" in response.json()["fields"]


def test_csv(api, published):
    response = get(api, indicator=INDICATOR, niveau="buurt", binnen="GM0308", formaat="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    page = get(api, indicator=INDICATOR, niveau="buurt", binnen="GM0308", page_size=10).json()
    assert len(rows) == page["count"] > len(page["results"])  # every row, not one page
    assert list(rows[0]) [:8] == ["indicator", "gebied", "naam", "niveau", "indeling", "jaar", "sbi", "waarde"]
    withheld = [row for row in rows if row["gebied"] == THIN_BUURT]
    assert withheld and all(row["waarde"] == "" and row["index_nl"] == "" for row in withheld)
    by_accept = api.get(URL, {"indicator": INDICATOR, "gebied": "GM0308"}, HTTP_ACCEPT="text/csv")
    assert by_accept["Content-Type"].startswith("text/csv")


def test_csv_cap(api, published, monkeypatch):
    from apps.api.public import views

    monkeypatch.setattr(views, "CSV_MAX_ROWS", 10)
    response = get(api, indicator=INDICATOR, niveau="buurt", binnen="GM0308", formaat="csv")
    assert response.status_code == 400 and "formaat" in response.json()["fields"]


def test_etag_304_before_the_database(api, published):
    params = {"indicator": INDICATOR, "niveau": "buurt", "binnen": "GM0308", "jaar": 2024}
    first = get(api, **params)
    etag = first["ETag"]
    assert etag.strip('W/"').startswith(f"r{published.number}-")
    assert "Accept" in first["Vary"] and "Accept-Language" in first["Vary"]
    with CaptureQueriesContext(connection) as captured:
        again = api.get(URL, params, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and len(captured) == 0
    weak = api.get(URL, params, HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert weak.status_code == 304
    other = api.get(URL, {**params, "jaar": 2023}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    # The same selection spelled otherwise is the same answer.
    assert api.get(URL, {**params, "binnen": "gm0308"})["ETag"] == etag


def _queries(api, params) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert api.get(URL, params).status_code == 200
    return len(captured)


def test_query_count_is_fixed(api, published):
    baarn = _queries(api, {"indicator": INDICATOR, "niveau": "buurt", "binnen": "GM0308", "jaar": 2024})
    amsterdam = _queries(api, {"indicator": INDICATOR, "niveau": "buurt", "binnen": "GM0363", "jaar": 2024})
    assert baarn == amsterdam <= 6
    with CaptureQueriesContext(connection) as captured:
        api.get(URL, {"indicator": INDICATOR, "niveau": "buurt", "binnen": "GM0363", "jaar": 2024})
    assert len(captured) == 0  # warm: from the cache


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405(api, published, method):
    response = getattr(api, method)(URL, {}, format="json")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_language(api, published):
    english = get(api, indicator=INDICATOR, gebied=THIN_BUURT, jaar=2024, taal="en").json()["results"][0]
    dutch = get(api, indicator=INDICATOR, gebied=THIN_BUURT, jaar=2024).json()["results"][0]
    assert english["status_tekst"].startswith("secret") and dutch["status_tekst"].startswith("geheim")
    by_header = api.get(URL, {"indicator": INDICATOR, "gebied": THIN_BUURT, "jaar": 2024},
                        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").json()["results"][0]
    assert by_header["status_tekst"] == english["status_tekst"]
