"""Confidentiality by construction (BRIEF §5 rule 1): a published release is loaded and every
public output the portal can reach is searched for the values disclosure control suppressed.

The suppressed values are made distinctive (odd amounts and denominators), so a hit cannot be
a coincidence, and they are looked for in every way a page could write them (raw, rounded,
with Dutch or English separators). The crawl follows every link from the home page and also
opens the page and map file of every area that has a suppressed cell. When a new public
output (an API, a download) is added, it belongs in ``ENTRY_POINTS``.
"""

import re
from collections import deque

import pytest
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from apps.api.public import selectors as api_selectors
from apps.disclosure import services as disclosure
from apps.disclosure.models import ProtectedCell
from apps.geography.models import Area
from apps.indicators import registry
from apps.indicators import services as indicators
from apps.indicators.models import ComputedCell
from apps.releases import services as releases
from apps.releases.models import PublishedValue
from tests.indicators.helpers import B1, B2, B3, B4, B5, add_observations, add_records

pytestmark = pytest.mark.usefixtures("geo")

ENTRY_POINTS = [
    "/", "/zoeken/?q=Baarn", "/zoeken/?q=Amsterdam",
    *(f"/thema/{theme}/" for theme in ("vastgoed", "drugs", "transacties", "branches", "context")),
    *(f"/thema/{theme}/?formaat={fmt}" for theme in ("vastgoed", "transacties") for fmt in ("csv", "xlsx")),
    "/vergelijk/?gebied=GM0308&gebied=GM0307&gebied=GM0363&gebied=WK030800&gebied=BU03080000",
    "/vergelijk/?gebied=GM0308&gebied=GM0307&gebied=GM0363&thema=transacties&formaat=xlsx",
    "/gemeente/GM0308/briefing/", "/gemeente/GM0307/briefing/",
    "/methode/", "/privacy/",
    # The open data API (apps/api/public): lists without a selection, and its CSV downloads.
    "/api/v1/releases/", "/api/v1/themas/", "/api/v1/indicatoren/", "/api/v1/indicatoren/?formaat=csv",
    "/api/v1/indicatoren/?taal=en", "/api/v1/zoekgebieden/", "/api/v1/zoekgebieden/?formaat=csv",
    "/api/v1/zoekgebieden/?niveau=wijk&binnen=GM0308", "/api/v1/gebieden/?niveau=buurt&binnen=GM0308",
    "/api/v1/gebieden/GM0308/", "/api/v1/grenzen/?niveau=buurt&binnen=GM0308",
]
MAX_PAGES = 2500


def api_value_urls(release) -> list[str]:
    """The values endpoint with every filter the release allows: each indicator at each of its
    levels and years, nationally as CSV (every row: so every withheld cell of the release is in
    the crawl) and as JSON, inside gemeenten and a provincie; each SBI section a branche
    indicator has; and the withheld cells of the buurten with records asked for by themselves."""
    base = "/api/v1/waarden/?"
    years = api_selectors.indicator_years(release)  # a year without figures is a 400
    urls = []
    for definition in registry.all_indicators():
        slug = definition.slug
        for level in definition.levels:
            urls += [f"{base}indicator={slug}&niveau={level}&jaar={year}&formaat=csv" for year in years.get(slug, [])]
            urls.append(f"{base}indicator={slug}&niveau={level}&page_size=200&taal=en")
            if level in ("wijk", "buurt"):
                urls.append(f"{base}indicator={slug}&niveau={level}&binnen=GM0308&page_size=200")
        urls.append(f"{base}indicator={slug}&niveau=gemeente&binnen=PV26&release={release.number}&formaat=csv")
    sections = PublishedValue.objects.filter(release=release).exclude(sbi_section="")
    for indicator, section in sorted(set(sections.values_list("indicator", "sbi_section"))):
        urls.append(f"{base}indicator={indicator}&niveau=gemeente&sbi={section}&formaat=csv")
        urls.append(f"{base}indicator={indicator}&gebied=NL00,PV26,GM0308&sbi={section}&taal=en")
    records_areas = [B1, B2, B3, B4, B5]
    withheld = PublishedValue.objects.filter(release=release, area_code__in=records_areas).exclude(status="V")
    for indicator, code, year, section in sorted(set(withheld.values_list("indicator", "area_code", "year", "sbi_section"))):
        sbi = f"&sbi={section}" if section else ""
        urls.append(f"{base}indicator={indicator}&gebied={code}&jaar={year}{sbi}")
        urls.append(f"{base}indicator={indicator}&gebied={code}&jaar={year}{sbi}&formaat=csv")
    for theme in ("vastgoed", "drugs", "transacties", "branches", "context"):
        urls.append(f"{base}thema={theme}&gebied=GM0308,GM0307,GM0363,NL00&formaat=csv")
        urls.append(f"/api/v1/zoekgebieden/?thema={theme}&release={release.number}&formaat=csv")
    return list(dict.fromkeys(urls))


@pytest.fixture
def release():
    # One suspicious transaction of an odd amount in B1 (too few: A), others elsewhere.
    reports = [{"buurt": B1, "date": "2024-04-01", "amount": 98_765.43, "sbi": "5610", "category": "contant"}]
    for buurt, n in ((B2, 30), (B3, 25), (B4, 40), (B5, 50)):
        reports += [
            {"buurt": buurt, "date": "2024-04-01", "amount": 1_000.0 + i, "sbi": "4711", "category": "overig"}
            for i in range(n)
        ]
    add_records("fiu_meldingen", reports)
    farms = [{"buurt": B1, "date": "2024-05-01", "category": "hennepkwekerij"}] * 2
    farms += [{"buurt": B2, "date": "2024-05-01", "category": "hennepkwekerij"}] * 7
    add_records("gemeentelijke_registraties", farms)
    codes = Area.objects.filter(vintage=2024).values_list("code", flat=True)
    add_observations("woningvoorraad", {(code, 2024): 997 for code in codes})
    add_observations("inwoners", {(code, 2024): 2_113 for code in codes})
    indicators.recalculate_all()
    report = disclosure.protect_all()
    assert report.passed
    built = releases.build_release(sources=[])
    releases.publish(built)
    return built


def spellings(value: float) -> set[str]:
    """Ways a page or file could write a value: raw (also with a decimal comma, as the CSV
    downloads write numbers), with 1–3 decimals (4 with a comma), Dutch and English separators."""
    out = {repr(value), str(value), repr(value).replace(".", ",")}
    for decimals in (1, 2, 3):
        english = f"{value:,.{decimals}f}"
        out |= {english, english.replace(",", ""), english.replace(",", "X").replace(".", ",").replace("X", ".")}
        out.add(english.replace(",", "").replace(".", ","))
    # Four decimals with a comma, as the CSV downloads write them.
    out.add(f"{value:.4f}".replace(".", ","))
    return out


def distinctive_suppressed_values(release) -> set[str]:
    suppressed = PublishedValue.objects.filter(release=release).exclude(status="V")
    keys = set(suppressed.values_list("indicator", "area_code", "year", "sbi_section"))
    needles = set()
    for cell in ComputedCell.objects.all().values("indicator", "area_code", "year", "sbi_section", "value", "total"):
        if (cell["indicator"], cell["area_code"], cell["year"], cell["sbi_section"]) not in keys:
            continue
        for value in (cell["value"], cell["total"]):
            # Whole numbers below 1,000 occur on every page by chance; the rest are distinctive.
            if value is not None and (value != round(value) or abs(value) >= 1_000):
                needles |= {s for s in spellings(float(value)) if len(s.replace(".", "").replace(",", "")) >= 5}
    # A withheld cell whose true value equals a published one (two buurten with the same rate)
    # cannot be told apart from it on a page: the published one may be shown.
    for value in PublishedValue.objects.filter(release=release, status="V").values_list("value", flat=True):
        needles -= spellings(float(value))
    return needles


def xlsx_text(body: bytes) -> str:
    """Every cell of a workbook as text, numbers written as Python writes them."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        ";".join("" if value is None else str(value) for value in row)
        for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
    )


def crawl(client: Client, start: list[str]) -> dict[str, str]:
    seen, bodies, queue = set(), {}, deque(start)
    while queue and len(bodies) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            bodies[url] = xlsx_text(body)
            continue
        text = body.decode("utf-8", errors="replace")
        bodies[url] = text
        # Links, and paths inside the pages' JSON (the map configuration names its files).
        for link in re.findall(r"[\"'](/[^\"'\s#<>]*)[\"']", text):
            if not link.startswith(("/admin", "/static", "/i18n")):
                queue.append(link)
    return bodies


def test_no_public_output_holds_a_suppressed_value(release, monkeypatch):
    # The crawl asks the API far more often than an anonymous caller may.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/min", "user": "100000/min"})
    assert PublishedValue.objects.filter(release=release).exclude(status="V").exists()
    needles = distinctive_suppressed_values(release)
    assert any("98765" in needle or "98.765" in needle for needle in needles)

    client = Client()
    # The pages of the areas with records (and so with suppressed values): the buurten and
    # everything above them; the crawl adds whatever they link to.
    area_pages = []
    for code in (B1, B2, B3, B4, B5):
        area = Area.objects.get(vintage=2024, code=code)
        while area is not None and area.level != "land":
            area_pages.append(f"/{area.level}/{area.code}/")
            area = area.parent
    # The values files the maps join by code: every indicator, level and year, whole and per gemeente.
    values_files = [
        f"/waarden/{release.number}/{definition.slug}/{level}/{year}.json{within}"
        for definition in registry.all_indicators()
        for level in ("land", "provincie", "gemeente", "wijk", "buurt")
        for year in (2024,)
        for within in ("", "?binnen=GM0308")
    ]
    api_urls = api_value_urls(release)
    bodies = crawl(client, ENTRY_POINTS + list(dict.fromkeys(area_pages)) + values_files + api_urls)
    assert "/" in bodies and len(bodies) > 10
    assert sum(url.startswith("/waarden/") for url in bodies) == len(values_files)
    assert set(api_urls) <= set(bodies), sorted(set(api_urls) - set(bodies))[:5]  # every API answer was a 200
    assert any(url.endswith(".geojson") for url in bodies), "the crawl reaches the map files"
    # The pages with figures and their downloads are part of the crawl.
    for part in ("/indicator/", "formaat=csv", "formaat=xlsx", "/vergelijk/", "/briefing/", "/thema/"):
        assert any(part in url for url in bodies), part
    hits = {(url, needle) for url, text in bodies.items() for needle in needles if needle in text}
    assert not hits, sorted(hits)[:10]

    # And the restricted tables stay restricted: nothing suppressed has a value anywhere public.
    assert not PublishedValue.objects.filter(release=release, value__isnull=False).exclude(status="V").exists()
    assert not ProtectedCell.objects.exclude(status="V").filter(value__isnull=False).exists()


def test_the_search_finds_a_planted_value_so_it_can_fail(release):
    """The crawl and the spellings would find a value if a page showed it."""
    needles = spellings(98_765.43)
    assert "98.765,43" in needles and "98765.43" in needles and "98765,43" in needles
    page = "<td>98.765,43</td>"
    assert any(needle in page for needle in needles)
