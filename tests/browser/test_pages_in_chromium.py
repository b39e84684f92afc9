"""The first pages in a real browser: Debian's Chromium driven by Playwright.

The path a visitor takes: home → search a gemeente → its page → a wijk on the map → a buurt, by
mouse and by keyboard. Screenshots of each page type at desktop and phone width are kept in
test-output/screenshots/ to look at.
"""

import shutil

import pytest
from django.conf import settings

from apps.geography import services, webfiles
from apps.geography.levels import Level
from tests.browser.helpers import CHROMIUM, new_page, screenshot

BAARN = settings.DATA_DIR / "fixtures" / "baarn"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture
def baarn(transactional_db):
    services.import_area_lookup(settings.DATA_DIR / "reference" / "gebiedsindeling_2024.csv", vintage=2024)
    services.import_boundaries(BAARN / "gemeente_2024.geojson", level=Level.GEMEENTE, vintage=2024)
    services.import_boundaries(BAARN / "wijken_2024.geojson", level=Level.WIJK, vintage=2024)
    services.import_boundaries(BAARN / "buurten_2024.geojson", level=Level.BUURT, vintage=2024)
    services.dissolve_missing_boundaries(2024)
    webfiles.build_web_boundary_files(2024)


def test_visitor_path_with_the_mouse(baarn, live_server, browser):
    errors: list[str] = []
    page = new_page(browser, 1280, errors)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.wait_for_selector("#area-map path")
    screenshot(page, "home-desktop")

    page.fill("#home-search-q", "GM0308")
    page.press("#home-search-q", "Enter")
    page.wait_for_url("**/gemeente/GM0308/")
    assert page.locator("h1").inner_text() == "Baarn"
    page.wait_for_selector("#area-map path")
    assert page.locator("#area-map path").count() == 5  # the five wijken of Baarn
    screenshot(page, "gemeente-desktop")

    page.locator('#area-map path[aria-label^="Wijk 00 Baarn"]').click()
    page.wait_for_url("**/wijk/WK030800/")
    page.wait_for_selector("#area-map path")
    screenshot(page, "wijk-desktop")

    page.get_by_role("link", name="Centrum", exact=True).click()
    page.wait_for_url("**/buurt/BU03080000/")
    page.wait_for_selector("#area-map path")
    screenshot(page, "buurt-desktop")
    assert errors == []


def test_keyboard_reaches_an_area_on_the_map(baarn, live_server, browser):
    errors: list[str] = []
    page = new_page(browser, 1280, errors)
    page.goto(live_server.url + "/gemeente/GM0308/")
    page.wait_for_selector("#area-map path")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName.toLowerCase()") == "path":
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label and "(WK0308" in label
    page.keyboard.press("Enter")
    page.wait_for_url("**/wijk/WK0308*/")
    assert errors == []


def test_phone_width_and_missing_boundary(baarn, live_server, browser):
    errors: list[str] = []
    page = new_page(browser, 360, errors)
    for name, path in [
        ("home-phone", "/"),
        ("gemeente-phone", "/gemeente/GM0308/"),
        ("buurt-phone", "/buurt/BU03080000/"),
        ("search-phone", "/zoeken/?q=centrum"),
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{path} scrolls sideways"
        screenshot(page, name)
    page.goto(live_server.url + "/buurt/BU0363AD03/")
    assert "niet geladen" in page.locator("main").inner_text()
    screenshot(page, "buurt-without-boundary-phone")
    assert errors == []
