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


@pytest.fixture
def published_release(geo, live_server):
    """The test geography (``geo``) and a published release, for pages seen through ``live_server``.

    A live server makes the test transactional: the database is emptied before and after it,
    so the geography is loaded again inside the test and the release built on it."""
    return build_published_release()
