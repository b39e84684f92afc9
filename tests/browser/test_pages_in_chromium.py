"""The first pages in a real browser: Debian's Chromium driven by Playwright.

The path a visitor takes: home → search a gemeente → its page → a wijk on the map → a buurt, by
mouse and by keyboard. Screenshots of each page type at desktop and phone width are kept in
test-output/screenshots/ to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from apps.geography import services, webfiles
from apps.geography.levels import Level

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
BAARN = settings.DATA_DIR / "fixtures" / "baarn"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]

# Playwright's sync API runs an event loop in this thread; the ORM calls below happen before
# the browser starts, and the live server answers from its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def baarn(transactional_db):
    services.import_area_lookup(settings.DATA_DIR / "reference" / "gebiedsindeling_2024.csv", vintage=2024)
    services.import_boundaries(BAARN / "gemeente_2024.geojson", level=Level.GEMEENTE, vintage=2024)
    services.import_boundaries(BAARN / "wijken_2024.geojson", level=Level.WIJK, vintage=2024)
    services.import_boundaries(BAARN / "buurten_2024.geojson", level=Level.BUURT, vintage=2024)
    services.dissolve_missing_boundaries(2024)
    webfiles.build_web_boundary_files(2024)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


def _page(browser, width, errors):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    # The PDOK tiles are outside this machine's reach; keep the test independent of them.
    context.route("https://service.pdok.nl/**", lambda route: route.abort())
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_visitor_path_with_the_mouse(baarn, live_server, browser):
    errors: list[str] = []
    page = _page(browser, 1280, errors)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.wait_for_selector("#area-map path")
    _shot(page, "home-desktop")

    page.fill("#home-search-q", "GM0308")
    page.press("#home-search-q", "Enter")
    page.wait_for_url("**/gemeente/GM0308/")
    assert page.locator("h1").inner_text() == "Baarn"
    page.wait_for_selector("#area-map path")
    assert page.locator("#area-map path").count() == 5  # the five wijken of Baarn
    _shot(page, "gemeente-desktop")

    page.locator('#area-map path[aria-label^="Wijk 00 Baarn"]').click()
    page.wait_for_url("**/wijk/WK030800/")
    page.wait_for_selector("#area-map path")
    _shot(page, "wijk-desktop")

    page.get_by_role("link", name="Centrum", exact=True).click()
    page.wait_for_url("**/buurt/BU03080000/")
    page.wait_for_selector("#area-map path")
    _shot(page, "buurt-desktop")
    assert errors == []


def test_keyboard_reaches_an_area_on_the_map(baarn, live_server, browser):
    errors: list[str] = []
    page = _page(browser, 1280, errors)
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
    page = _page(browser, 360, errors)
    for name, path in [
        ("home-phone", "/"),
        ("gemeente-phone", "/gemeente/GM0308/"),
        ("buurt-phone", "/buurt/BU03080000/"),
        ("search-phone", "/zoeken/?q=centrum"),
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{path} scrolls sideways"
        _shot(page, name)
    page.goto(live_server.url + "/buurt/BU0363AD03/")
    assert "niet geladen" in page.locator("main").inner_text()
    _shot(page, "buurt-without-boundary-phone")
    assert errors == []
