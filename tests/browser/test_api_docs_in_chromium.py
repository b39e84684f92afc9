"""The API documentation (Swagger UI, /api/v1/docs/) in a real browser: axe-core finds nothing
serious or critical, neither on the page as it opens nor with operations expanded and "Try it
out" on (issue 14, item 11), and the page runs under the portal's CSP without a violation."""

import shutil

import pytest

from tests.browser.audit import Watch, axe_source, axe_violations, describe_violations, new_axe_page
from tests.browser.helpers import CHROMIUM, DESKTOP, new_page, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]

DOCS = "/api/v1/docs/"
#: A GET with choices among its parameters and a POST with a request body and examples.
EXPANDED = ("#operations-waarden-waarden_list", "#operations-werkruimte-werkruimte_notities_create")


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_the_api_docs_pass_axe_under_the_csp(live_server, browser):
    errors: list[str] = []
    page = new_page(browser, DESKTOP, errors)
    watch = Watch(live_server.url, errors)
    watch.attach(page)
    page.goto(live_server.url + DOCS)
    page.wait_for_selector(".swagger-ui .opblock")
    screenshot(page, "api-docs-desktop")
    assert watch.problems() == []

    axe_page = new_axe_page(browser, DESKTOP, errors)
    axe_page.goto(live_server.url + DOCS)
    axe_page.wait_for_selector(".swagger-ui .opblock")
    source = axe_source()
    reports = []
    found = serious(axe_violations(axe_page, source))
    if found:
        reports.append(describe_violations(f"{DOCS} (as it opens)", found))

    for operation in EXPANDED:
        axe_page.locator(f"{operation} .opblock-summary-control").click()
        axe_page.locator(f"{operation} .try-out__btn").click()
        axe_page.wait_for_selector(f"{operation} .execute")
    axe_page.locator(".models .models-control").click()
    found = serious(axe_violations(axe_page, source))
    if found:
        reports.append(describe_violations(f"{DOCS} (operations open, Try it out)", found))
    assert not errors, errors
    assert not reports, "axe-core found serious or critical violations:\n" + "\n".join(reports)
