"""Every published figure has a page that shows it: for each registered indicator, each level its
indicator page lists and each year with published cells there, the page answers and shows a value
of that year; a Nederland value (the source's, or derived from the gemeenten) is shown beside it.

The release holds what the real data holds: police figures for gemeenten and buurten but never
for Nederland. In 2024 every gemeente has its figure, so Nederland and the provincies are derived
(a sum); in 2025 one gemeente lacks it, so there is no Nederland figure at all that year.
"""

import html
import re

import pytest
from django.utils import translation

from apps.dashboards import formatting
from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area
from apps.indicators import registry
from apps.releases import selectors as reader

from .conftest import _build_release, _remove_release_data
from tests.indicators.helpers import add_observations

POLICE = ("geregistreerde_misdrijven", "misdrijven_per_1000_inwoners")
MISSING_IN_2025 = "GM0096"  # Vlieland: the police file has no row for it
#: The levels an indicator page lists, and the scope it lists them in.
NATIONAL_LEVELS = (Level.GEMEENTE, Level.PROVINCIE)


def _police_observations() -> None:
    gemeenten = sorted(Area.objects.filter(vintage=2024, level=Level.GEMEENTE).values_list("code", flat=True))
    buurten = sorted(Area.objects.filter(vintage=2024, code__startswith="BU0308").values_list("code", flat=True))
    values = {}
    for year in (2024, 2025):
        for i, code in enumerate(gemeenten):
            if not (year == 2025 and code == MISSING_IN_2025):
                values[(code, year)] = float(200 + i + year % 10)
        for i, code in enumerate(buurten):
            values[(code, year)] = float(10 + i)
    add_observations("geregistreerde_misdrijven", values, dataset="politie_misdrijven")


@pytest.fixture(scope="module")
def release(geo_2024, django_db_blocker):
    with django_db_blocker.unblock():
        _police_observations()
        built = _build_release()
    yield built
    with django_db_blocker.unblock():
        _remove_release_data()


def _published(release) -> dict[tuple[str, str, int], list]:
    """(indicator, level, year) → the published all-branche cells there."""
    found: dict[tuple[str, str, int], list] = {}
    for definition in registry.all_indicators():
        for level in definition.levels:
            for cell in reader.level_cells(release, indicator=definition.slug, level=level, scope=NEDERLAND_CODE):
                if cell.published:
                    found.setdefault((definition.slug, level, cell.year), []).append(cell)
    return found


def _row(page: str, code: str) -> str:
    match = re.search(rf"<tr>(?:(?!</tr>).)*?\b{code}\b.*?</tr>", page, re.S)
    assert match, f"no table row for {code}"
    return html.unescape(match.group(0))


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_every_indicator_page_shows_its_figures_in_every_year(client, release):
    published = _published(release)
    shown = {slug for slug, _level, _year in published}
    assert set(POLICE) <= shown, "the police figures must be in the release"
    assert {year for slug, _l, year in published if slug in POLICE} == {2024, 2025}
    for (slug, level, year), cells in sorted(published.items()):
        definition = registry.get(slug)
        if level == Level.LAND:
            continue  # beside every page of the indicator, checked below
        if level in NATIONAL_LEVELS:
            cell = cells[0]
            url = f"/indicator/{slug}/?niveau={level}&jaar={year}"
        else:
            cell = cells[0]
            scope = f"GM{cell.area_code[2:6]}"  # a wijk or buurt among those of its gemeente
            url = f"/indicator/{slug}/{scope}/?niveau={level}&jaar={year}"
        page = _page(client, url)
        with translation.override("nl"):
            value = formatting.value_text(definition, cell.value, cell.status)
        assert value in _row(page, cell.area_code), (url, cell.area_code, value)


@pytest.mark.django_db
def test_a_nederland_figure_is_shown_beside_the_indicator_page(client, release):
    for definition in registry.all_indicators():
        cells = [c for c in reader.cells_of_areas(release, [NEDERLAND_CODE], indicators=[definition.slug]) if c.published]
        for cell in cells:
            page = _page(client, f"/indicator/{definition.slug}/?jaar={cell.year}")
            with translation.override("nl"):
                value = formatting.value_text(definition, cell.value, cell.status)
            national = re.search(r"<dt>Nederland \(\d+\)</dt><dd>(.*?)</dd>", page, re.S)
            assert national and value in national.group(1), (definition.slug, cell.year, value)


@pytest.mark.django_db
def test_the_police_figures_default_to_their_latest_year_and_say_when_nederland_is_derived(client, release):
    page = _page(client, "/indicator/misdrijven_per_1000_inwoners/")
    assert '<option value="2025" selected>' in page
    assert "Er zijn nog geen cijfers gepubliceerd" not in page
    # 2025 lacks a gemeente: no Nederland figure, not a sum of too few gemeenten.
    assert re.search(r"<dt>Nederland \(2025\)</dt><dd>n.b.", page)
    page = _page(client, "/indicator/geregistreerde_misdrijven/?jaar=2024")
    national = re.search(r"<dt>Nederland \(2024\)</dt><dd>(.*?)</dd>", page, re.S).group(1)
    assert "som van de gemeenten" in national
    page = _page(client, "/indicator/geregistreerde_misdrijven/GM0308/?niveau=buurt&jaar=2025")
    assert "BU03080000" in page
    context = _page(client, "/thema/context/")
    assert "Geregistreerde misdrijven per 1.000 inwoners" in context
