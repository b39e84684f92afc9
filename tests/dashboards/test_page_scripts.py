"""Every visitor gets a page whose scripts run under the portal's CSP (issue 14, item 1).

Theme, indicator and area pages are cached per release. A per-request value in a cached fragment
(django-leaflet's inline ``<script nonce=…>``) served the first visitor's nonce to everyone after,
whose browser then blocked the map's start. So the pages hold no inline script at all: only files
of the portal's own (``src``) and data that no browser runs (``json_script``).
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from .conftest import BAARN_BUURTEN

INDICATOR = "aankopen_zonder_hypotheek"

#: The page types with a map, and a few without; the first request fills the caches.
PAGES = [
    "/",
    "/thema/vastgoed/",
    "/thema/drugs/",
    f"/indicator/{INDICATOR}/",
    f"/indicator/{INDICATOR}/GM0308/",
    f"/indicator/{INDICATOR}/WK030800/",
    f"/indicator/{INDICATOR}/{BAARN_BUURTEN[0]}/",
    "/gemeente/GM0308/",
    "/wijk/WK030800/",
    f"/buurt/{BAARN_BUURTEN[0]}/",
    "/provincie/PV26/",
    "/vergelijk/?gebied=GM0308&gebied=GM0355",
    "/gemeente/GM0308/briefing/",
    "/zoeken/?q=baar",
    "/methode/",
]
#: Script types a browser does not run.
DATA_TYPES = {"application/json", "application/ld+json"}


class _Scripts(HTMLParser):
    """The ``<script>`` elements of a page: their attributes and their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def scripts_of(page: str) -> list[tuple[dict, str]]:
    parser = _Scripts()
    parser.feed(page)
    return parser.scripts


def inline_executable(page: str) -> list[str]:
    """Scripts a browser would run from the page's own text (no ``src``, not a data type)."""
    return [
        text.strip()[:120]
        for attrs, text in scripts_of(page)
        if not attrs.get("src") and (attrs.get("type") or "").lower() not in DATA_TYPES
    ]


def script_src(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


@pytest.mark.parametrize("path", PAGES)
def test_a_later_visitor_gets_no_inline_script_either(published, path):
    for visitor in ("first", "later"):
        response = Client().get(path)  # a fresh client: another visitor, another nonce
        assert response.status_code == 200, (path, response.status_code)
        page = response.content.decode()
        assert inline_executable(page) == [], f"{path}, {visitor} visitor: inline script"
        nonces = set(re.findall(r"'nonce-([^']+)'", script_src(response)))
        for attrs, _ in scripts_of(page):
            if "nonce" in attrs:
                assert attrs["nonce"] in nonces, f"{path}, {visitor} visitor: a nonce of another request"


def test_scripts_may_come_only_from_the_portal(published):
    """Nothing needs a nonce any more, so the policy allows none: an injected inline script
    cannot run, whatever it carries."""
    response = Client().get("/thema/vastgoed/")
    directive = script_src(response).split()
    assert directive == ["script-src", "'self'"], directive


def test_the_map_starts_with_django_leaflets_options_from_the_settings(published):
    """The page holds the options ``{% leaflet_map %}`` would have written: the tiles with their
    attribution, the extent and the zoom of LEAFLET_CONFIG, and the event to start on."""
    page = Client().get("/gemeente/GM0308/").content.decode()
    found = re.search(r'<script id="area-map-leaflet" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the map's options are on the page"
    options = json.loads(found.group(1))
    config = settings.LEAFLET_CONFIG
    (label, url, attrs), = options["djoptions"]["layers"]
    assert url == config["TILES"][0][1] and attrs == config["TILES"][0][2]
    assert options["djoptions"]["extent"] == [[50.6, 3.0], [53.7, 7.4]]  # SPATIAL_EXTENT as lat, lng
    assert options["djoptions"]["zoom"] == config["DEFAULT_ZOOM"]
    assert options["djoptions"]["attributionprefix"] == config["ATTRIBUTION_PREFIX"]
    assert options["loadevents"] == ["load"]
    assert options["globals"] is False  # NO_GLOBALS
