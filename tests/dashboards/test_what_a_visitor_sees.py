"""What a visitor reads must agree with the numbers beside it (issue 14, items 3–6): every "wat valt
op" sentence against its table row, every withheld cell with its reason, the briefing's table,
and a buurt's own indicator page.

The release is made by hand (tests.releases.helpers.build) with comparisons written into it, so
peer and Nederland comparisons can disagree the way they do in real releases."""

import re

import pytest
from django.core.cache import cache

from apps.comparisons.models import Zoekgebied
from apps.releases import services as releases
from apps.releases.models import PublishedValue
from tests.releases.helpers import build

from .dom import Node, parse, table_rows

RECHTSPERSONEN = "aankopen_door_rechtspersonen"
HYPOTHEEK = "aankopen_zonder_hypotheek"
SLUITINGEN = "sluitingen_13b_per_1000_woningen"
TRANSACTIES = "verdachte_transacties_per_1000_inwoners"
RISK = (RECHTSPERSONEN, HYPOTHEEK, SLUITINGEN, TRANSACTIES)

AREAS = ("NL00", "PV26", "PV27", "GM0308", "WK030800", "WK030801", "BU03080000", "BU03080001", "BU03080100",
         "GM0363", "WK0363AD", "BU0363AD03")
MOSTLY_WITHHELD = "WK030801"  # three of its four risk figures are secret
#: Withheld cells in 2024, with their reason.
WITHHELD = {
    (MOSTLY_WITHHELD, RECHTSPERSONEN): "A", (MOSTLY_WITHHELD, HYPOTHEEK): "B", (MOSTLY_WITHHELD, SLUITINGEN): "T",
    ("BU03080100", RECHTSPERSONEN): "D", ("BU03080001", RECHTSPERSONEN): "A", ("BU03080001", SLUITINGEN): "S",
}
#: (index against similar areas, its significance, index against Nederland, its significance),
#: dealt out over the published 2024 cells. The first is issue 14's Amsterdam: not different from
#: similar areas, significantly above Nederland.
PATTERNS = (
    (80.0, "=", 126.0, "+"),
    (80.0, "-", 126.0, "+"),
    (140.0, "+", 70.0, "-"),
    (None, "", 60.0, "-"),
    (150.0, "+", 150.0, "+"),
    (95.0, "=", 98.0, "="),
    (None, "", 133.0, "+"),
)
# The year before says the opposite: a sentence must use the year its row shows.
PREVIOUS = (200.0, "+", 200.0, "+")


def _cells() -> list[tuple]:
    cells = []
    for a, code in enumerate(AREAS):
        for i, indicator in enumerate(RISK):
            cells.append((indicator, code, 2023, 20.0 + a + i, "V"))
            status = WITHHELD.get((code, indicator), "V")
            cells.append((indicator, code, 2024, 10.0 + 1.3 * a + 0.7 * i if status == "V" else None, status))
        cells.append(("inwoners", code, 2024, 5_000.0 + a, "V"))
    return cells


@pytest.fixture
def crafted(geo):
    """A published release of a few areas whose comparisons disagree as PATTERNS says."""
    release = build(_cells())
    values = PublishedValue.objects.filter(release=release, sbi_section="", indicator__in=RISK)
    values.filter(year=2023).update(index_peer=PREVIOUS[0], sig_peer=PREVIOUS[1], index_nl=PREVIOUS[2],
                                    sig_nl=PREVIOUS[3], peer_group="gemeente|1|>=100k")
    latest = values.filter(year=2024, status="V").exclude(area_code="NL00").order_by("area_code", "indicator")
    for n, pk in enumerate(latest.values_list("pk", flat=True)):
        index_peer, sig_peer, index_nl, sig_nl = PATTERNS[n % len(PATTERNS)]
        PublishedValue.objects.filter(pk=pk).update(
            index_peer=index_peer, sig_peer=sig_peer, index_nl=index_nl, sig_nl=sig_nl,
            peer_group="gemeente|1|>=100k" if index_peer is not None else "")
    # Amsterdam as issue 14 found it: not different from similar areas, above Nederland.
    index_peer, sig_peer, index_nl, sig_nl = PATTERNS[0]
    latest.filter(area_code="GM0363", indicator=RECHTSPERSONEN).update(
        index_peer=index_peer, sig_peer=sig_peer, index_nl=index_nl, sig_nl=sig_nl)
    # A withheld cell is published without a comparison.
    values.exclude(status="V").update(index_peer=None, sig_peer="", index_nl=None, sig_nl="")
    Zoekgebied.objects.create(release=release, theme="vastgoed", area_code="GM0363", level="gemeente", vintage=2024,
                              year=2024, signals=[RECHTSPERSONEN, HYPOTHEEK], n_signals=2)
    releases.publish(release)
    cache.clear()  # the pages read the current release (and its figures) from the cache
    yield release
    cache.clear()


def page(client, url: str) -> Node:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return parse(response.content.decode())


def profile_rows(document: Node) -> dict[str, dict[str, Node]]:
    """The profile's theme tables: {indicator name: {column header: cell}}."""
    rows = {}
    for table in document.all("table"):
        if not table.attrs.get("id", "").startswith("table-"):
            continue
        header, body = table_rows(table)
        for cells in body:
            rows[cells[0].text.removesuffix(" (synthetisch)")] = dict(zip(header, cells, strict=True))
    return rows


SENTENCE = re.compile(
    r"^(?P<name>.+?): (?P<value>-?[\d.]+(?:,\d+)?) .*?(?: in (?P<year>\d{4}):| —) (?P<direction>hoger|lager) dan "
    r"(?P<against>vergelijkbare gebieden|Nederland) \(index (?P<index>\d+)\)$"
)
COLUMN = {"vergelijkbare gebieden": "Vergeleken met vergelijkbare gebieden", "Nederland": "Vergeleken met Nederland"}


def stand_out(document: Node) -> list[Node]:
    section = document.one("section", **{"aria-labelledby": "stand-out-heading"})
    return section.all("li", class_="stand-out__item")


def check_sentence(item: Node, rows: dict[str, dict[str, Node]]) -> None:
    """The sentence says what its table row says: the same number and year, the comparator the
    row shows as significant, and a direction that agrees with that column's significance, its
    index and the ▲/▼ marker."""
    text = item.text.removesuffix(" synthetisch")
    found = SENTENCE.match(text)
    assert found, text
    row = rows[found["name"]]
    assert found["value"] == row["Waarde"].text, (text, row["Waarde"].text)
    peers = row["Vergeleken met vergelijkbare gebieden"].text
    if peers.startswith("significant "):
        assert found["against"] == "vergelijkbare gebieden", (text, peers)
    column = row[COLUMN[found["against"]]].text
    assert column == f"significant {found['direction']} ({found['index']})", (text, column)
    assert (int(found["index"]) > 100) == (found["direction"] == "hoger"), text


def check_year_and_marker(item: Node, rows: dict[str, dict[str, Node]]) -> None:
    """The sentence names the year of its row, and its ▲/▼ marker points the way it says."""
    text = item.text.removesuffix(" synthetisch")
    found = SENTENCE.match(text)
    assert found["year"] == rows[found["name"]]["Jaar"].text, text
    marker = "stand-out__item--higher" if found["direction"] == "hoger" else "stand-out__item--lower"
    assert marker in item.classes, (text, item.classes)


def test_every_sentence_agrees_with_its_table_row_in_every_area(client, crafted):
    codes = sorted(set(PublishedValue.objects.filter(release=crafted).values_list("area_code", flat=True)))
    levels = {"PV": "provincie", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
    said = []
    for code in codes:
        if code == "NL00":
            continue  # Nederland has no area page: it is every comparison's reference
        document = page(client, f"/{levels[code[:2]]}/{code}/")
        rows = profile_rows(document)
        said += [(item, rows) for item in stand_out(document)]
    assert len(said) >= 20  # most areas have figures that stand out
    for item, rows in said:
        check_sentence(item, rows)
    for item, rows in said:
        check_year_and_marker(item, rows)


def test_the_briefing_and_the_theme_page_say_the_same_as_the_profile(client, crafted):
    for code in ("GM0308", "GM0363"):
        profile = page(client, f"/gemeente/{code}/")
        briefing = page(client, f"/gemeente/{code}/briefing/")
        said = [item.text for item in stand_out(profile)]
        briefed = [item.text.lstrip("▲▼ ") for item in
                   briefing.one("section", **{"aria-labelledby": "b-stand-out"}).all("li")]
        assert briefed == said and said
    # The theme page names its zoekgebieden' signals against Nederland, as a zoekgebied is defined.
    theme = page(client, "/thema/vastgoed/")
    header, body = table_rows(theme.one("table", id="theme-table"))
    amsterdam = next(cells for cells in body if cells[0].text == "Amsterdam")
    section = theme.one("section", **{"aria-labelledby": "stand-out-heading"})
    signals = section.all("li", class_="stand-out__item")
    assert len(signals) == 2
    for signal in signals:
        found = SENTENCE.match(signal.text)
        assert found and found["against"] == "Nederland", signal.text
        column = next(i for i, label in enumerate(header) if label.startswith(found["name"]))
        assert amsterdam[column].text == found["value"], signal.text
        slug = next(slug for slug in RISK if _name(slug) == found["name"])
        cell = PublishedValue.objects.get(release=crafted, area_code="GM0363", indicator=slug, year=2024)
        assert found["index"] == str(round(cell.index_nl)), signal.text
        assert (found["direction"] == "hoger") == (cell.sig_nl == "+"), signal.text


# ---------------------------------------------------------------- withheld cells say why


REASONS = {"A": "geheim: te weinig gevallen", "B": "geheim: één of twee overheersen", "T": "geheim: noemer te klein",
           "D": "geheim: beschermt een ander cijfer", "S": "geheim bij de bron", "N": "n.b."}


def check_withheld_cell(cell: Node) -> str:
    """A cell without a value: the reason in words and the status code as a symbol. Its code."""
    symbols = cell.all("abbr", class_="status-code")
    assert len(symbols) == 1, cell.text
    code = symbols[0].text
    assert cell.text == f"{REASONS[code]} {code}", cell.text
    assert symbols[0].attrs.get("title"), "the symbol explains itself"
    return code


def check_legend(container: Node, codes: set[str]) -> None:
    legend = container.one("div", class_="status-legend")
    assert {item.text for item in legend.all("dt")} == codes
    for dd in legend.all("dd"):
        assert dd.text.lower().startswith(("geheim", "n.b.", "niet")) and len(dd.text) > 30, dd.text


def test_each_withheld_cell_says_why_with_its_symbol_and_a_legend(client, crafted):
    document = page(client, f"/indicator/{RECHTSPERSONEN}/GM0308/?niveau=buurt")
    table = document.one("table", id="values-table")
    header, body = table_rows(table)
    value = header.index("Waarde")
    codes = set()
    for cells in body:
        if cells[value].all("abbr"):
            codes.add(check_withheld_cell(cells[value]))
        else:
            assert re.fullmatch(r"[\d.]+,\d", cells[value].text), cells[value].text
    assert {"A", "D", "N"} <= codes  # BU03080001, BU03080100 and the buurten without a figure
    check_legend(document.one("section", **{"aria-labelledby": "table-heading"}), codes)
    # The map's legend: each reason with its symbol and how many areas it holds.
    legend = document.one("div", id="map-legend")
    for code in codes:
        assert any(abbr.text == code for abbr in legend.all("abbr")), code
    assert "te weinig gevallen" in legend.text and "beschermt een ander cijfer" in legend.text


def test_withheld_cells_say_why_on_the_profile_the_briefing_and_the_comparison(client, crafted):
    profile = page(client, f"/wijk/{MOSTLY_WITHHELD}/")
    rows = profile_rows(profile)
    codes = {check_withheld_cell(rows[name]["Waarde"]) for name in
             ("Woningaankopen door rechtspersonen", "Woningaankopen zonder hypotheek",
              "Sluitingen op grond van artikel 13b Opiumwet per 1.000 woningen")}
    assert codes == {"A", "B", "T"}
    comparison = page(client, f"/vergelijk/?gebied={MOSTLY_WITHHELD}&gebied=BU03080001&thema=vastgoed")
    header, body = table_rows(comparison.one("table", id="compare-table"))
    withheld = [cell for cells in body for cell in cells[1:] if cell.all("abbr")]
    assert {check_withheld_cell(cell) for cell in withheld} == {"A", "B"}
    check_legend(comparison, {"A", "B"})


def test_an_area_with_most_figures_secret_says_so_instead_of_only_nothing_stands_out(client, crafted):
    section = page(client, f"/wijk/{MOSTLY_WITHHELD}/").one("section", **{"aria-labelledby": "stand-out-heading"})
    assert ("Van de 4 risicocijfers van Wijk 01 Baarn-Noord, Eemdal en Eemland zijn er 3 geheim in het laatste "
            "jaar; daarom valt hier weinig te vergelijken.") in section.text
    assert "valt hier niets op" not in section.text
    # An area with a figure or two secret says how many, and no more.
    section = page(client, "/buurt/BU03080001/").one("section", **{"aria-labelledby": "stand-out-heading"})
    assert "weinig te vergelijken" not in section.text


# ---------------------------------------------------------------- the briefing's table


def test_the_briefing_table_has_a_cell_per_column_and_its_comparison_filled(client, crafted):
    for code in ("GM0308", "GM0363"):
        document = page(client, f"/gemeente/{code}/briefing/")
        section = document.one("section", **{"aria-labelledby": "b-figures"})
        header, body = table_rows(section.one("table"))
        assert header[-1] == "Vergeleken met" and body
        compared = {(c.indicator, c.year) for c in PublishedValue.objects.filter(
            release=crafted, area_code=code, year=2024).exclude(sig_nl="", sig_peer="")}
        for cells in body:
            assert len(cells) == len(header), [c.text for c in cells]
            if cells[-1].text == "":
                name = cells[0].text
                assert not any(name.startswith(_name(slug)) for slug, _year in compared), name
            else:
                assert re.fullmatch(r"(vergelijkbare gebieden|Nederland): (niet )?significant \w+ \(\d+\)",
                                    cells[-1].text), cells[-1].text
        assert sum(1 for cells in body if cells[-1].text) == len(compared)


def _name(slug: str) -> str:
    from apps.indicators import registry

    return registry.get(slug).localized("name", "nl")


# ---------------------------------------------------------------- a buurt's own indicator page


@pytest.mark.parametrize("buurt", ["BU03080000", "BU0363AD03"])
def test_a_buurt_has_its_own_indicator_page(client, crafted, buurt):
    document = page(client, f"/indicator/{RECHTSPERSONEN}/{buurt}/")
    area = document.one("h1").text
    assert area.startswith("Woningaankopen door rechtspersonen in ")
    buurt_name = area.removeprefix("Woningaankopen door rechtspersonen in ")
    # Among the buurten of its gemeente, itself marked.
    _header, body = table_rows(document.one("table", id="values-table"))
    marked = [cells for cells in body if cells[0].text.endswith("(deze buurt)")]
    assert len(marked) == 1 and cells_code(marked[0]) == buurt
    # Its figures over the years against its wijk, its gemeente and Nederland.
    header, rows = table_rows(document.one("table", id="trend-table"))
    assert header[1] == buurt_name and header[-1] == "Nederland" and len(header) == 5
    assert [cells[0].text for cells in rows] == ["2023", "2024"]


def cells_code(cells: list[Node]) -> str:
    return cells[1].text


def test_unknown_buurt_or_an_indicator_without_buurt_figures_is_not_found(client, crafted):
    assert client.get(f"/indicator/{RECHTSPERSONEN}/BU03089999/").status_code == 404
    assert client.get("/indicator/jonge_aanwas/BU03080000/").status_code == 404
    assert client.get(f"/indicator/{RECHTSPERSONEN}/BU03080000/?niveau=wijk").status_code == 404


def test_a_buurt_page_links_its_indicators_to_the_buurt_own_pages(client, crafted):
    document = page(client, "/buurt/BU03080000/")
    links = [a.attrs["href"] for table in document.all("table") if table.attrs.get("id", "").startswith("table-")
             for a in table.all("a")]
    assert f"/indicator/{RECHTSPERSONEN}/BU03080000/" in links
    assert all(link.startswith("/indicator/") and "/BU03080000/" in link for link in links), links
    assert client.get(links[0]).status_code == 200
