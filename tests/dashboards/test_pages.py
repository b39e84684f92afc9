"""The public pages: home, gemeente, wijk, buurt and search, in Dutch by default."""

import json
import re

import pytest
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext, override

from apps.geography.models import WebBoundaryFile
from tests.factories import BAARN, VINTAGE

pytestmark = pytest.mark.usefixtures("geo")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def map_config(page: str) -> dict | None:
    found = re.search(
        r'<script id="area-map-config" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1)) if found else None


def dutch(message: str) -> str:
    """A message as the page shows it by default: in Dutch (where translated), HTML-escaped."""
    with override("nl"):
        return escape(gettext(message))


def web_file_url(level: str, scope: str) -> str:
    item = WebBoundaryFile.objects.get(vintage=VINTAGE, level=level, scope=scope)
    return f"/grenzen/{item.file_name}"


def linked_codes(page: str, level: str) -> list[str]:
    return re.findall(rf'href="/{level}/([A-Z0-9]+)/"', page)


# ---------------------------------------------------------------- language


def test_dutch_is_the_default_language(client):
    assert settings.LANGUAGE_CODE == "nl"
    page = html(client.get("/"))
    assert '<html lang="nl">' in page


def test_pages_answer_head_requests(client):
    for path in ("/", f"/gemeente/{BAARN}/", "/zoeken/?q=xqzvw"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""
    assert client.post("/").status_code == 405


def test_browser_language_does_not_switch_to_english(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="nl">' in html(response)
    assert response["Content-Language"] == "nl"


def test_english_when_chosen_with_the_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/gemeente/GM0308/"})
    assert response.status_code == 302
    assert response["Location"] == "/gemeente/GM0308/"
    page = html(client.get("/gemeente/GM0308/"))
    assert '<html lang="en">' in page
    with override("en"):
        assert escape(gettext("Search a gemeente, wijk or buurt")) in page


# ---------------------------------------------------------------- home


def test_home_lists_every_gemeente_by_provincie(client):
    response = client.get("/")
    page = html(response)
    codes = linked_codes(page, "gemeente")
    assert len(codes) == len(set(codes)) == 342
    assert BAARN in codes and "GM0363" in codes
    assert response.context["gemeente_count"] == 342
    provincies = response.context["provincies"]
    assert len(provincies) == 12
    assert sum(len(group["gemeenten"]) for group in provincies) == 342
    utrecht = next(group for group in provincies if group["name"] == "Utrecht")
    assert "Baarn" in [gemeente.name for gemeente in utrecht["gemeenten"]]


def test_home_map_shows_the_national_gemeente_file(client):
    config = map_config(html(client.get("/")))
    assert config is not None
    (layer,) = config["layers"]
    assert layer["url"] == web_file_url("gemeente", "NL00")
    assert layer["url"].startswith(f"/grenzen/gemeente-NL00-{VINTAGE}.")
    assert layer["link"] == "/gemeente/{code}/"
    assert client.get(layer["url"]).status_code == 200


# ---------------------------------------------------------------- area pages


def test_gemeente_page_lists_its_wijken_and_maps_them(client):
    response = client.get(f"/gemeente/{BAARN}/")
    page = html(response)
    assert "<h1>Baarn</h1>" in page
    assert linked_codes(page, "wijk") == [
        "WK030800",
        "WK030801",
        "WK030802",
        "WK030804",
        "WK030805",
    ]
    assert [child.code for child in response.context["children"]] == linked_codes(page, "wijk")
    assert 'href="/provincie/PV26/"' in page  # breadcrumb and "part of"
    (layer,) = map_config(page)["layers"]
    assert layer["url"] == web_file_url("wijk", BAARN)
    assert layer["link"] == "/wijk/{code}/"
    assert layer["parent"] == BAARN
    assert layer["highlight"] is None


def test_wijk_page_lists_its_buurten(client):
    page = html(client.get("/wijk/WK030800/"))
    assert "Wijk 00 Baarn" in page
    buurten = linked_codes(page, "buurt")
    assert len(buurten) == 8
    assert all(code.startswith("BU030800") for code in buurten)
    assert f'href="/gemeente/{BAARN}/"' in page
    (layer,) = map_config(page)["layers"]
    assert (layer["url"], layer["parent"], layer["link"]) == (
        web_file_url("buurt", BAARN),
        "WK030800",
        "/buurt/{code}/",
    )


def test_buurt_page_shows_its_neighbours_with_itself_highlighted(client):
    response = client.get("/buurt/BU03080000/")
    page = html(response)
    assert "<h1>Centrum</h1>" in page
    assert [a.code for a in response.context["ancestors"]] == ["PV26", BAARN, "WK030800"]
    (layer,) = map_config(page)["layers"]
    assert layer["url"] == web_file_url("buurt", BAARN)
    assert (layer["parent"], layer["highlight"]) == ("WK030800", "BU03080000")
    assert (
        dutch(
            "The boundary of this buurt is not loaded, so the map cannot show it. "
            "Its place in the hierarchy and its figures are still here."
        )
        not in page
    )


def test_buurt_without_boundary_says_so(client):
    response = client.get("/buurt/BU0363AD03/")
    page = html(response)
    assert "Nieuwendijk-Noord" in page
    assert [a.code for a in response.context["ancestors"]] == ["PV27", "GM0363", "WK0363AD"]
    assert map_config(page) is None  # no buurt boundaries loaded for Amsterdam
    notice = dutch(
        "The boundary of this buurt is not loaded, so the map cannot show it. "
        "Its place in the hierarchy and its figures are still here."
    )
    assert notice in page
    assert 'class="notice" role="note"' in page


def test_wijk_whose_buurten_have_no_boundary_says_so(client):
    page = html(client.get("/wijk/WK0363AD/"))
    assert len(linked_codes(page, "buurt")) == 8
    assert "BU0363AD03" in linked_codes(page, "buurt")
    assert map_config(page) is None
    assert (
        dutch(
            "The boundaries of these areas are not loaded, so there is no map yet. "
            "The list below holds every area."
        )
        in page
    )


def test_provincie_page_lists_its_gemeenten(client):
    response = client.get("/provincie/PV26/")
    page = html(response)
    assert BAARN in linked_codes(page, "gemeente")
    (layer,) = map_config(page)["layers"]
    assert (layer["url"], layer["parent"]) == (web_file_url("gemeente", "NL00"), "PV26")


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/gemeente/gm0308/", "/gemeente/GM0308/"),
        ("/wijk/GM0308/", "/gemeente/GM0308/"),
        ("/buurt/WK030800/", "/wijk/WK030800/"),
        ("/gemeente/bu0363ad03/", "/buurt/BU0363AD03/"),
    ],
)
def test_wrong_level_or_case_redirects_permanently(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/gemeente/GM9999/",
        "/buurt/BU03089999/",
        "/gemeente/NL00/",  # Nederland is the home page, not an area page
        "/gemeente/GM0308/?indeling=2019",  # no areas of that year
        "/stad/GM0308/",
    ],
)
def test_unknown_area_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_letter_code_page_works(client):
    page = html(client.get("/wijk/WK0363AD/"))
    assert "Burgwallen-Nieuwe Zijde" in page
    assert 'href="/gemeente/GM0363/"' in page


# ---------------------------------------------------------------- search


def test_search_by_exact_name_goes_to_the_gemeente(client):
    response = client.get("/zoeken/", {"q": "Baarn"})
    assert response.status_code == 302
    assert response["Location"] == f"/gemeente/{BAARN}/"


def test_search_by_part_of_a_name_lists_the_areas(client):
    response = client.get("/zoeken/", {"q": "Eemdal"})
    page = html(response)
    codes = [area.code for area in response.context["results"]]
    assert {"BU03080104", "BU03080105"} <= set(codes)
    assert all("eemdal" in area.name.lower() for area in response.context["results"])
    assert 'href="/buurt/BU03080104/"' in page


def test_search_ranks_wijken_before_buurten(client):
    response = client.get("/zoeken/", {"q": "vuursche"})
    page = html(response)
    codes = [area.code for area in response.context["results"]]
    assert codes[0] == "WK030805"  # Wijk 05 Lage Vuursche
    assert set(codes[1:]) >= {"BU03080500", "BU03080501"}
    assert page.index('href="/wijk/WK030805/"') < page.index('href="/buurt/BU03080500/"')


def test_search_by_exact_name_in_other_case(client):
    response = client.get("/zoeken/", {"q": "baarn"})
    assert response["Location"] == f"/gemeente/{BAARN}/"


@pytest.mark.parametrize("query", ["WK030800", "wk030800", "WK 030800"])
def test_search_by_code_redirects_to_the_area(client, query):
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == "/wijk/WK030800/"


def test_search_by_letter_code(client):
    response = client.get("/zoeken/", {"q": "BU0363AD03"})
    assert response["Location"] == "/buurt/BU0363AD03/"


def test_search_for_nonsense_finds_nothing(client):
    query = "xqzvw"
    response = client.get("/zoeken/", {"q": query})
    page = html(response)
    assert response.context["results"] == []
    with override("nl"):
        expected = gettext(
            "Nothing found for “%(query)s”. Check the spelling, or try a CBS code such as GM0363."
        ) % {"query": query}
    assert expected in page


def test_empty_search_explains_what_to_type(client):
    response = client.get("/zoeken/", {"q": "  "})
    page = html(response)
    assert response.context["results"] == []
    assert (
        dutch("Type the name or the CBS code of a gemeente, wijk or buurt in the search field.")
        in page
    )


def test_search_query_is_escaped(client):
    page = html(client.get("/zoeken/", {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ---------------------------------------------------------------- search by postcode


def test_search_by_four_digit_postcode_lists_the_buurten_where_it_is_most_common(client):
    page = html(client.get("/zoeken/?q=3743"))
    codes = linked_codes(page, "buurt")
    assert codes and all(code.startswith("BU0308") for code in codes)
    assert "BU03080000" in codes  # Centrum, Baarn
    # With the letters of a full postcode, or a space, the same buurten.
    assert linked_codes(html(client.get("/zoeken/?q=3743+AB")), "buurt") == codes


def test_a_postcode_nobody_has_finds_nothing(client):
    page = html(client.get("/zoeken/?q=0000"))
    assert linked_codes(page, "buurt") == []
