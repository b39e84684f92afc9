import pytest

from tests.browser.helpers import CHROMIUM
from tests.browser.release import build_published_release


@pytest.fixture
def browser():
    """Debian's Chromium, headless, started for one test."""
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


@pytest.fixture
def published_release(geo, live_server):
    """The test geography (``geo``) and a published release, for pages seen through ``live_server``.

    A live server makes the test transactional: the database is emptied before and after it,
    so the geography is loaded again inside the test and the release built on it."""
    return build_published_release()
