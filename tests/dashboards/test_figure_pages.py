"""Pages with figures: gemeente profile, indicator page, theme, comparison, briefing and their
downloads, on a published release. Query counts are bounded whatever the size of the area."""

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from openpyxl import load_workbook

from apps.disclosure import services as disclosure
from apps.releases import cache as release_cache
from apps.releases import services as releases
from apps.releases.models import PublishedValue

from .conftest import THIN_BUURT

INDICATOR = "aankopen_zonder_hypotheek"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def queries(client, url: str, *, cold: bool = False) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def csv_rows(response) -> tuple[list[list[str]], list[list[str]]]:
    """(explanation lines, table rows incl. header) of a downloaded CSV."""
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    return [r for r in rows if r[0].startswith("# ")], [r for r in rows if not r[0].startswith("# ")]


# ---------------------------------------------------------------- what the pages show


def test_gemeente_profile_shows_every_theme_with_figures_and_comparisons(client, published):
    page = html(client.get("/gemeente/GM0308/"))
    assert "Wat valt op" in page
    assert 'id="theme-vastgoed"' in page
    assert "Woningaankopen zonder hypotheek" in page
    # Compared with Nederland and marked synthetic: the records are.
    assert "Synthetische gegevens." in page
    assert f'href="/indicator/{INDICATOR}/GM0308/"' in page
    # Every figure resting on synthetic records says so; open figures do not.
    assert "Woningaankopen zonder hypotheek (synthetisch)" in page
    assert "Inwoners (synthetisch)" not in page
    assert '/gemeente/GM0308/briefing/' in page
    # The trend of each indicator as a chart with a table of the same numbers.
    assert 'role="img"' in page and "trend-table-" + INDICATOR in page


def test_indicator_page_lists_the_wijken_with_a_legend_and_the_definition(client, published):
    page = html(client.get(f"/indicator/{INDICATOR}/GM0308/"))
    for wijk in ("WK030800", "WK030801"):
        assert wijk in page
    assert 'id="map-legend"' in page and "geheim" in page
    assert "Aandeel van de aankopen" in page  # the definition from the registry
    config = re.search(r'<script id="area-map-config" type="application/json">(.*?)</script>', page, re.S)
    assert config and f"/waarden/{published.number}/{INDICATOR}/wijk/2024.json?binnen=GM0308" in config.group(1)


def test_a_suppressed_buurt_says_secret_and_shows_no_value(client, published):
    cell = PublishedValue.objects.get(release=published, indicator=INDICATOR, area_code=THIN_BUURT, year=2024)
    assert cell.status in "ABTD" and cell.value is None
    page = html(client.get(f"/indicator/{INDICATOR}/GM0308/?niveau=buurt"))
    row = re.search(rf"<tr>.*?{THIN_BUURT}.*?</tr>", page, re.S).group(0)
    assert "geheim" in row


def test_the_year_and_level_can_be_chosen_and_wrong_ones_are_404(client, published):
    assert "2023" in html(client.get(f"/indicator/{INDICATOR}/GM0308/?jaar=2023"))
    for url in (
        f"/indicator/{INDICATOR}/GM0308/?jaar=1999",
        f"/indicator/{INDICATOR}/GM0308/?niveau=provincie",
        f"/indicator/{INDICATOR}/XX0000/",
        "/indicator/geen-indicator/",
        "/thema/geen-thema/",
        f"/indicator/{INDICATOR}/GM0308/?formaat=pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_theme_page_ranks_gemeenten_and_lists_every_one(client, published):
    page = html(client.get("/thema/vastgoed/"))
    assert "Woningaankopen zonder hypotheek" in page
    assert 'href="/gemeente/GM0308/"' in page
    assert page.count("<tr>") > 300  # every gemeente in the table


def test_comparison_page_takes_names_and_codes(client, published):
    page = html(client.get("/vergelijk/?gebied=GM0308&gebied=Amsterdam&gebied=XX9999&thema=vastgoed"))
    assert "Baarn (GM0308)" in page and "Amsterdam (GM0363)" in page
    assert "XX9999" in page  # named as not found
    assert page.count('class="chart"') >= 1


def test_comparison_takes_at_most_six_areas(client, published):
    codes = ["GM0308", "GM0363", "GM0344", "GM0518", "GM0599", "GM0014", "GM0034"]
    page = html(client.get("/vergelijk/?" + "&".join(f"gebied={c}" for c in codes)))
    assert "(GM0014)" in page and "(GM0034)" not in page


def test_briefing_fits_the_gemeente_on_one_page(client, published):
    page = html(client.get("/gemeente/GM0308/briefing/"))
    assert "Baarn" in page and "briefing.css" in page
    assert client.get("/gemeente/WK030801/briefing/").status_code == 404


# ---------------------------------------------------------------- downloads


def test_indicator_csv_holds_exactly_the_rows_of_the_page_with_status_codes(client, published):
    url = f"/indicator/{INDICATOR}/GM0308/?niveau=buurt"
    page = html(client.get(url))
    about, rows = csv_rows(client.get(url + "&formaat=csv"))
    header, body = rows[0], rows[1:]
    assert "Status" in header and "Waarde" in header
    page_codes = re.findall(r'<td>(BU0308[0-9A-Z]{4})</td>', page)
    assert [row[1] for row in body] == page_codes
    thin = next(row for row in body if row[1] == THIN_BUURT)
    assert thin[header.index("Waarde")] == "" and thin[header.index("Status")] in "ABTD"
    labels = [line[0] for line in about]
    for label in ("# Publicatieversie", "# Licentie", "# Bron", "# Kanttekening"):
        assert label in labels, labels
    assert any("synthetisch" in line[1].lower() for line in about)


def test_xlsx_has_the_same_table_and_an_explanation_sheet(client, published):
    url = f"/indicator/{INDICATOR}/GM0308/?niveau=buurt"
    _about, rows = csv_rows(client.get(url + "&formaat=csv"))
    response = client.get(url + "&formaat=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    data, explanation = book.worksheets
    values = [["" if v is None else v for v in row] for row in data.iter_rows(values_only=True)]
    assert len(values) == len(rows)
    assert [str(v) for v in values[0]] == rows[0]
    assert explanation.max_row > 5


def test_profile_download_holds_every_year(client, published):
    _about, rows = csv_rows(client.get("/gemeente/GM0308/?formaat=csv"))
    header, body = rows[0], rows[1:]
    years = {row[header.index("Jaar")] for row in body if row[0] == "Woningaankopen zonder hypotheek (synthetisch)"}
    assert years == {"2023", "2024"}


def test_a_spreadsheet_formula_in_a_name_is_written_as_text(client, published):
    from apps.geography.models import Area

    Area.objects.filter(code="WK030801").update(name="=HYPERLINK(\"http://x\")")
    _about, rows = csv_rows(client.get(f"/indicator/{INDICATOR}/GM0308/?formaat=csv"))
    assert any(row[0].startswith("'=HYPERLINK") for row in rows)


# ---------------------------------------------------------------- bounded queries, cache per release


@pytest.mark.parametrize(
    "small, large",
    [
        ("/gemeente/GM0308/", "/gemeente/GM0363/"),  # Baarn 5 wijken, Amsterdam ~100
        (f"/indicator/{INDICATOR}/GM0308/", f"/indicator/{INDICATOR}/GM0363/"),
        (f"/indicator/{INDICATOR}/GM0308/?niveau=buurt", f"/indicator/{INDICATOR}/GM0363/?niveau=buurt"),
    ],
)
def test_query_count_does_not_grow_with_the_number_of_areas(client, published, small, large):
    cold_large = queries(client, large, cold=True)
    cold_small = queries(client, small, cold=True)
    assert cold_small == cold_large
    assert cold_small <= 12
    # Warm: the published data comes from the cache, only the area itself is read.
    assert queries(client, small) <= 5


def test_national_indicator_page_has_a_bounded_number_of_queries(client, published):
    assert queries(client, f"/indicator/{INDICATOR}/", cold=True) <= 10
    assert queries(client, f"/indicator/{INDICATOR}/") <= 4


def test_publishing_a_new_release_replaces_what_the_pages_show(
    client, published, django_capture_on_commit_callbacks
):
    assert f"Publicatieversie</dt><dd>{published.number}" in html(client.get(f"/indicator/{INDICATOR}/GM0308/"))
    disclosure.protect_all()
    second = releases.build_release(sources=[])
    with django_capture_on_commit_callbacks(execute=True):
        releases.publish(second)
    assert f"Publicatieversie</dt><dd>{second.number}" in html(client.get(f"/indicator/{INDICATOR}/GM0308/"))
    assert release_cache.current_release().number == second.number


# ---------------------------------------------------------------- theme map, branches


def test_theme_page_maps_one_indicator_of_the_theme_at_a_time(client, published):
    page = html(client.get("/thema/vastgoed/?kaart=gemiddelde_koopsom"))
    config = re.search(r'<script id="area-map-config" type="application/json">(.*?)</script>', page, re.S)
    assert config and "/waarden/%s/gemiddelde_koopsom/gemeente/" % published.number in config.group(1)
    assert 'id="map-legend"' in page
    assert client.get("/thema/vastgoed/?kaart=inwoners").status_code == 404  # not of this theme


def test_branche_indicator_shows_its_sections_with_their_own_download(client, published):
    url = "/indicator/vestigingen_risicobranches_per_1000_inwoners/GM0308/"
    page = html(client.get(url))
    assert 'id="sections-table"' in page and "Handel" in page
    about, rows = csv_rows(client.get(url + "?formaat=csv&tabel=branches"))
    assert rows[0][:2] == ["SBI-sectie", "Code"]
    assert {row[1] for row in rows[1:]} <= set("ABCDEFGHIJKLMNOPQRSTU") and len(rows) > 2
    assert client.get(f"/indicator/{INDICATOR}/GM0308/?formaat=csv&tabel=branches").status_code == 404


def test_english_pages_show_the_indicator_texts_in_english(client, published):
    from apps.indicators import registry

    definition = registry.get(INDICATOR)
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 302
    page = html(client.get(f"/indicator/{INDICATOR}/GM0308/"))
    assert '<html lang="en">' in page
    for field in ("name", "definition", "unit"):
        assert escape(definition.localized(field, "en")) in page, field
    assert escape(definition.definition) not in page
    about, _rows = csv_rows(client.get(f"/indicator/{INDICATOR}/GM0308/?formaat=csv"))
    assert any(line[1] == definition.localized("definition", "en") for line in about)


def test_only_indicators_counted_from_synthetic_records_are_marked_synthetic(client, published):
    assert INDICATOR in published.synthetic_indicators
    # No drug registrations were loaded: their indicators rest on no synthetic record.
    assert "hennepkwekerijen_per_1000_woningen" not in published.synthetic_indicators
    from apps.indicators import registry

    page = html(client.get("/gemeente/GM0308/"))
    hennep = escape(registry.get("hennepkwekerijen_per_1000_woningen").name_nl)
    assert hennep in page and f"{hennep} (synthetisch)" not in page
    assert "Woningaankopen zonder hypotheek (synthetisch)" in page
