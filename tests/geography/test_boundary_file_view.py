"""/grenzen/<file>: the web boundary files, cached for good, gzipped when the browser can."""

import gzip
import json

import pytest
from django.conf import settings
from django.urls import reverse

from apps.geography.models import WebBoundaryFile
from tests.factories import BAARN, VINTAGE


@pytest.fixture
def wijken_file(geo) -> WebBoundaryFile:
    return WebBoundaryFile.objects.get(vintage=VINTAGE, level="wijk", scope=BAARN)


def url_of(item: WebBoundaryFile) -> str:
    return reverse("geography:web-boundary-file", args=[item.file_name])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_file_url_carries_the_content_hash(wijken_file):
    assert url_of(wijken_file) == f"/grenzen/{wijken_file.file_name}"
    assert wijken_file.file_name.startswith(f"wijk-{BAARN}-{VINTAGE}.")


def test_plain_file_is_served_with_immutable_caching(client, wijken_file):
    response = client.get(url_of(wijken_file))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert response["Vary"] == "Accept-Encoding"  # not per language cookie: one cache entry
    assert not response.has_header("Content-Encoding")
    content = body(response)
    assert content == (settings.GEO_WEB_ROOT / wijken_file.file_name).read_bytes()
    codes = {f["properties"]["code"] for f in json.loads(content)["features"]}
    assert codes == {"WK030800", "WK030801", "WK030802", "WK030804", "WK030805"}


def test_gzipped_file_when_the_client_accepts_gzip(client, wijken_file):
    response = client.get(url_of(wijken_file), headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"] == "application/geo+json"
    assert "immutable" in response["Cache-Control"]
    content = body(response)
    assert len(content) == wijken_file.gzip_bytes
    assert gzip.decompress(content) == (settings.GEO_WEB_ROOT / wijken_file.file_name).read_bytes()


def test_unknown_hash_is_not_found(client, wijken_file):
    unknown = wijken_file.file_name.rsplit(".", 2)[0] + ".000000000000.geojson"
    assert unknown != wijken_file.file_name
    response = client.get(f"/grenzen/{unknown}")
    assert response.status_code == 404
    assert "immutable" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    [
        "/grenzen/../settings.py",
        "/grenzen/wijk-GM0308-2024.geojson",  # no hash
        "/grenzen/wijk-GM0308-2024.ABCDEF123456.geojson",  # hash in capitals
        "/grenzen/wijk-GM0308-2024.0123456789ab.geojson.gz",  # the .gz is not addressable
    ],
)
def test_only_content_hashed_names_are_served(client, db, path):
    assert client.get(path).status_code == 404


def test_only_get_and_head_are_allowed(client, wijken_file):
    assert client.post(url_of(wijken_file)).status_code == 405
    assert client.delete(url_of(wijken_file)).status_code == 405
    # HEAD must work as GET does (RFC 9110 9.1): caches and link checkers use it
    head = client.head(url_of(wijken_file))
    assert head.status_code == 200
    assert "immutable" in head["Cache-Control"]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("*", True),
        ("", False),
    ],
)
def test_accept_encoding_is_read_with_its_quality(header, expected):
    from apps.geography.views import _accepts_gzip

    assert _accepts_gzip(header) is expected
