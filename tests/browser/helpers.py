"""Shared pieces of the browser tests: Debian's Chromium through Playwright, screenshots."""

import os
from pathlib import Path

from django.conf import settings

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
#: The screen sizes the page types are looked at in (width, height).
DESKTOP = (1366, 768)
PHONE = (360, 740)

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the tests happen
# before the browser starts or between its calls, and the live server answers from its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def viewport(size) -> dict:
    """A width (900 px high) or a (width, height) pair, as Playwright takes it."""
    width, height = size if isinstance(size, tuple) else (size, 900)
    return {"width": width, "height": height}


def new_page(browser, size, errors):
    """A page in a browser context of its own (cookies, cache): one visitor."""
    context = browser.new_context(viewport=viewport(size), locale="nl-NL")
    # The PDOK tiles are outside this machine's reach; keep the test independent of them.
    context.route("https://service.pdok.nl/**", lambda route: route.abort())
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
