"""The information pages (apps/about): methodology, privacy and the accessibility statement.

They answer in Dutch by default and in English after the language switch; the methodology is
generated from the registries (every indicator has its row and anchor); the disclosure
parameters that must stay secret never reach a page, the frequency threshold does; and the
pages keep the accessibility rules (one h1, headings without skipped levels, captioned tables
with scoped header cells, working in-page links, no inline style or script).
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from apps.about import views
from apps.disclosure.models import DisclosureParameter
from apps.disclosure.services import current_parameters, rounding_key
from apps.indicators import registry
from apps.sources.kinds import Shape, all_kinds

pytestmark = pytest.mark.django_db

PAGES = {
    "about:methodology": "/methode/",
    "about:privacy": "/privacy/",
    "about:accessibility": "/toegankelijkheid/",
}
# A sentence of each page's prose in each language: tells which template was rendered.
MARKERS = {
    "/methode/": {"nl": "Welke gegevens zijn synthetisch?", "en": "Which data are synthetic?"},
    "/privacy/": {"nl": "Wat Zicht nooit publiceert", "en": "What Zicht never publishes"},
    "/toegankelijkheid/": {"nl": "Een probleem melden", "en": "Reporting a problem"},
}
TITLES = {
    "/methode/": "Methodology",
    "/privacy/": "Privacy",
    "/toegankelijkheid/": "Accessibility statement",
}


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def translated(message: str, language: str) -> str:
    """A message as a page in ``language`` shows it (translated where a translation exists)."""
    with override(language):
        return escape(gettext(message))


def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/methode/"})
    assert response.status_code == 302
    return client


def set_parameter(key: str, value: float) -> None:
    DisclosureParameter.objects.update_or_create(
        key=key, defaults={"value": value, "description": key}
    )


class Page(HTMLParser):
    """What the accessibility checks need from a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tables: list[dict] = []
        self.inline_styles = 0
        self.scripts: list[dict] = []
        self.style_elements = 0
        self.text_parts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if "style" in attributes:
            self.inline_styles += 1
        if tag == "a" and "href" in attributes:
            self.hrefs.append(attributes["href"])
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.style_elements += 1
        if tag == "table":
            self.tables.append({"caption": False, "th": 0, "th_without_scope": 0})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            if attributes.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                self.tables[-1]["th_without_scope"] += 1

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def all_pages(client) -> dict[tuple[str, str], str]:
    """Every page in Dutch and in English: {(path, language): html}."""
    pages = {(path, "nl"): html(client.get(path)) for path in PAGES.values()}
    english(client)
    pages.update({(path, "en"): html(client.get(path)) for path in PAGES.values()})
    return pages


# ---------------------------------------------------------------- addresses and languages


def test_the_pages_have_their_dutch_addresses():
    for name, path in PAGES.items():
        assert reverse(name) == path


@pytest.mark.parametrize("path", PAGES.values())
def test_each_page_answers_in_dutch_by_default(client, path):
    page = html(client.get(path, headers={"accept-language": "en-GB,en;q=0.9"}))
    assert '<html lang="nl">' in page
    assert MARKERS[path]["nl"] in page
    assert MARKERS[path]["en"] not in page
    assert f"<h1 id=\"page-title\">{translated(TITLES[path], 'nl')}</h1>" in page


@pytest.mark.parametrize("path", PAGES.values())
def test_each_page_answers_in_english_after_the_language_switch(client, path):
    page = html(english(client).get(path))
    assert '<html lang="en">' in page
    assert MARKERS[path]["en"] in page
    assert MARKERS[path]["nl"] not in page
    assert f"<h1 id=\"page-title\">{TITLES[path]}</h1>" in page


def test_a_language_without_its_own_text_gets_the_dutch_one():
    request = RequestFactory().get("/methode/")
    request.user = AnonymousUser()
    with override("de"):
        page = views.methodology(request).content.decode()
    assert MARKERS["/methode/"]["nl"] in page


@pytest.mark.parametrize("path", PAGES.values())
def test_pages_answer_head_and_refuse_post(client, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


# ---------------------------------------------------------------- methodology from the registries


def rows_by_id(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="([^"]+)">(.*?)</tr>', page, re.S))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_registered_indicator_has_its_row_and_anchor(client, language):
    if language == "en":
        english(client)
    page = html(client.get("/methode/"))
    rows = rows_by_id(page)
    labels = {kind.slug: kind.label for kind in all_kinds()}
    assert registry.all_indicators()
    for definition in registry.all_indicators():
        assert page.count(f'id="{definition.slug}"') == 1, definition.slug
        row = rows.get(definition.slug)
        assert row is not None, f"no row with anchor #{definition.slug}"
        for field in ("name", "definition", "unit", "numerator", "denominator"):
            text = definition.localized(field, language)
            if text:
                assert escape(text) in row, (definition.slug, field)
        for source in definition.sources:
            assert escape(labels[source]) in row, (definition.slug, source)
        if definition.min_denominator is not None:
            assert re.search(rf"<td>{int(definition.min_denominator)}</td>", row), definition.slug


def test_each_theme_has_its_own_table_in_registry_order(client):
    page = html(client.get("/methode/"))
    positions = []
    for theme in registry.themes():
        assert f'id="theme-{theme}"' in page
        assert f'id="caption-{theme}"' in page
        table = page.split(f'id="caption-{theme}"', 1)[1].split("</table>", 1)[0]
        slugs = re.findall(r'<tr id="([^"]+)">', table)
        assert slugs == [d.slug for d in registry.of_theme(theme)]
        positions.append(page.index(f'id="theme-{theme}"'))
    assert positions == sorted(positions)


def test_a_newly_registered_indicator_appears_without_editing_the_page(client, monkeypatch):
    definition = registry.IndicatorDefinition(
        slug="proef_indicator_xyz",
        theme="proefthema",
        name_nl="Proefindicator",
        name_en="Trial indicator",
        definition="Een indicator die alleen in deze test bestaat.",
        unit="per 1.000 proeven",
        kind="rate",
        compute=lambda staged: None,
        numerator="proeven",
        denominator="alle proeven",
        sources=("cbs_kwb",),
        min_denominator=321,
    )
    monkeypatch.setitem(registry._REGISTRY, definition.slug, definition)
    page = html(client.get("/methode/"))
    row = rows_by_id(page)["proef_indicator_xyz"]
    assert "Een indicator die alleen in deze test bestaat." in row
    assert "<td>321</td>" in row
    assert 'id="theme-proefthema"' in page


def test_every_source_kind_is_listed_and_only_the_extracts_are_synthetic(client):
    page = html(client.get("/methode/"))
    table = page.split('id="caption-sources"', 1)[1].split("</table>", 1)[0]
    synthetic = translated("Synthetic demonstration data", "nl")
    for kind in all_kinds():
        label = re.escape(escape(kind.label))
        match = re.search(rf'<th scope="row"[^>]*>{label}</th>(.*?)</tr>', table, re.S)
        assert match, kind.slug
        assert (synthetic in match.group(1)) == (kind.shape == Shape.RECORDS), kind.slug
    assert any(kind.shape == Shape.RECORDS for kind in all_kinds())


def test_the_english_methodology_shows_the_indicators_in_english_and_marks_dutch_source_names(client):
    page = html(english(client).get("/methode/"))
    definition = registry.all_indicators()[0]
    row = rows_by_id(page)[definition.slug]
    assert escape(definition.localized("definition", "en")) in row
    assert escape(definition.definition) not in row
    # Source names are proper names in Dutch: marked as such for screen readers.
    assert '<li lang="nl">' in page


def test_the_comparisons_and_search_areas_are_explained(client):
    page = html(client.get("/methode/"))
    for anchor in (
        "comparisons", "search-areas", "opportunity", "disclosure", "status-codes", "synthetic"
    ):
        assert f'id="{anchor}"' in page
    assert "Clopper" in page and "Garwood" in page
    assert "95%" in page  # the exact intervals at the 5% level
    for letter in ("V", "A", "B", "T", "D", "S", "N"):
        assert f'<span class="status-code">{letter}</span>' in page


# ---------------------------------------------------------------- what is published, what is not


def published_parameter(page: str) -> list[str]:
    return re.findall(r'data-published-parameter="frequency_min_contributors">([^<]+)<', page)


@pytest.mark.parametrize("path", ["/methode/", "/privacy/"])
def test_the_frequency_threshold_is_published_from_the_parameters(client, path):
    default = current_parameters().frequency_min_contributors
    assert published_parameter(html(client.get(path))) == [str(default)]
    set_parameter("frequency_min_contributors", 6)
    assert published_parameter(html(client.get(path))) == ["6"]
    assert published_parameter(html(english(client).get(path))) == ["6"]


def test_the_rounding_base_is_published_from_the_parameters(client):
    base = current_parameters().rounding_base
    assert f"veelvouden van {base}" in html(client.get("/methode/"))
    set_parameter("rounding_base", 10)
    assert "veelvouden van 10" in html(client.get("/methode/"))
    assert "multiples of 10" in html(english(client).get("/methode/"))


def secrets_found(pages: dict, secrets: list[str]) -> list[tuple]:
    return [
        (path, language, secret)
        for (path, language), page in pages.items()
        for secret in secrets
        if secret.lower() in page.lower()
    ]


def test_the_dominance_and_p_percent_parameters_never_appear(client):
    # Distinctive values, so that finding one can only mean the parameter was shown.
    set_parameter("dominance_n", 2)
    set_parameter("dominance_k", 83.7)
    set_parameter("p_percent", 13.9)
    set_parameter("frequency_safety_range", 17.3)
    pages = all_pages(client)
    secrets = ["83.7", "83,7", "13.9", "13,9", "17.3", "17,3"]
    assert not secrets_found(pages, secrets)


def test_the_default_concentration_rule_parameters_never_appear(client):
    parameters = current_parameters()
    k, p = int(parameters.dominance_k), int(parameters.p_percent)
    n = parameters.dominance_n
    pages = all_pages(client)
    secrets = [
        f"{k}%", f"{k} %", f"{k} procent", f"{k} percent", f"({n},{k})", f"({n}, {k})",
        f"NK({n}", f"P({p})", f"p = {p}", f"p={p}", f"{p}%-regel", f"{p}% rule", f"{p}%-rule",
    ]
    assert not secrets_found(pages, secrets)
    # The rules are named, their parameters are not.
    assert "p%-regel" in pages[("/methode/", "nl")]


@override_settings(DISCLOSURE_ROUNDING_KEY="zicht-test-rounding-secret-4f1c9e")
def test_the_rounding_key_never_appears(client):
    key = rounding_key()
    assert key == "zicht-test-rounding-secret-4f1c9e"
    pages = all_pages(client)
    assert not secrets_found(pages, [key, key.encode().hex(), "4f1c9e"])


@override_settings(DISCLOSURE_ROUNDING_KEY="")
def test_the_derived_rounding_key_and_the_secret_key_never_appear(client):
    key = rounding_key()
    assert len(key) == 64  # derived from SECRET_KEY as hex
    pages = all_pages(client)
    assert not secrets_found(pages, [key, key[:16], key.encode().hex()[:32], settings.SECRET_KEY])


def test_no_view_hands_the_parameters_to_a_template(client):
    from apps.disclosure.rules import Parameters

    for path in PAGES.values():
        response = client.get(path)
        for context in response.context:
            for value in context.flatten().values():
                assert not isinstance(value, Parameters), path
                if isinstance(value, dict):
                    assert not {"dominance_k", "dominance_n", "p_percent"} & set(value), path


@override_settings(CONTACT_EMAIL="meldpunt@gemeente.example")
@pytest.mark.parametrize("path", ["/privacy/", "/toegankelijkheid/"])
def test_the_contact_address_comes_from_the_setting(client, path):
    assert 'href="mailto:meldpunt@gemeente.example"' in html(client.get(path))
    assert 'href="mailto:meldpunt@gemeente.example"' in html(english(client).get(path))


def test_the_contact_address_has_a_placeholder_default():
    assert settings.CONTACT_EMAIL


def test_the_privacy_page_names_its_cookies_and_pdok(client):
    page = html(client.get("/privacy/"))
    for name in (
        settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME
    ):
        assert f'<span class="code">{name}</span>' in page
    assert urlsplit(settings.PDOK_TILE_URL).hostname in page
    assert "IP-adres" in page
    assert 'href="/methode/#disclosure"' in page


def test_the_accessibility_statement_has_its_date_and_norm(client):
    page = html(client.get("/toegankelijkheid/"))
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', page)
    assert "2.1" in page and "AA" in page
    assert urlsplit(settings.PDOK_TILE_URL).hostname in page


# ---------------------------------------------------------------- accessibility of the pages


def test_one_h1_and_no_skipped_heading_level(client):
    for (path, language), text in all_pages(client).items():
        levels = Page(text).headings
        assert levels.count(1) == 1, (path, language, levels)
        assert levels[0] == 1, (path, language)
        for previous, current in zip(levels, levels[1:]):
            assert current <= previous + 1, (path, language, levels)


def test_tables_have_a_caption_and_scoped_header_cells(client):
    for (path, language), text in all_pages(client).items():
        page = Page(text)
        for table in page.tables:
            assert table["caption"], (path, language)
            assert table["th"] and not table["th_without_scope"], (path, language, table)
    assert Page(html(client.get("/methode/"))).tables


def test_ids_are_unique_and_every_in_page_link_has_its_target(client):
    for (path, language), text in all_pages(client).items():
        page = Page(text)
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        assert not duplicates, (path, language, duplicates)
        targets = {href[1:] for href in page.hrefs if href.startswith("#")}
        assert targets, (path, language)
        assert targets <= set(page.ids), (path, language, targets - set(page.ids))


def test_the_pages_have_a_table_of_contents(client):
    for (path, language), text in all_pages(client).items():
        assert '<nav class="about-toc" aria-labelledby="toc-heading">' in text, (path, language)


def test_no_inline_style_or_script(client):
    for (path, language), text in all_pages(client).items():
        page = Page(text)
        assert page.inline_styles == 0, (path, language)
        assert page.style_elements == 0, (path, language)
        assert all(script.get("src") for script in page.scripts), (path, language)
        assert '<link rel="stylesheet" href="/static/css/about.css">' in text


def test_the_pages_are_not_blank_on_the_failed_checks_above():
    """The checks above can fail: a page with a skipped level, two h1s or a bare table."""
    page = Page("<h1>a</h1><h3>b</h3><h1>c</h1><table><tr><th>x</th></tr></table><p style='x'>")
    assert page.headings == [1, 3, 1]
    assert page.tables == [{"caption": False, "th": 1, "th_without_scope": 1}]
    assert page.inline_styles == 1
