"""The dashboards in a real browser (issue 5, item 7): Debian's Chromium driven by Playwright,
on the test geography with a published release (tests/browser/release.py).

- A visitor's path by mouse: home → search → gemeente → indicator → a wijk on the map → a buurt
  on the map → its page → the CSV download.
- The same path by keyboard only, focus visible at every step.
- Every page type opened by two visitors in turn (two browser contexts, the CSP enforced), so
  the second gets what the first one's visit cached: no CSP violation, no script error, and the
  map, where the page has one, draws its areas for both (issue 14, item 1).
- axe-core (WCAG 2.0/2.1 A and AA) on every page type.
- Every page type at desktop (1366×768) and phone (360×740) size: screenshots in
  test-output/screenshots/, and no page scrolls sideways on a phone, the gemeente page with its
  table of kansrijke zoekgebieden included.
"""

import csv
import io
import shutil

import pytest
from django.utils import translation

from apps.dashboards import formatting, pages
from apps.releases.models import PublishedValue
from tests.browser.audit import (
    Watch,
    assert_focus_visible,
    axe_source,
    axe_violations,
    click_area,
    describe_violations,
    drawn_areas,
    focus_state,
    horizontal_overflow,
    new_axe_page,
    open_all_details,
    tab_until,
    wait_for_map,
)
from tests.browser.helpers import CHROMIUM, DESKTOP, PHONE, new_page, screenshot
from tests.browser.release import BAARN_GEMEENTE, SUPPRESSED_BUURT, ZOEKGEBIED_WIJK

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]

INDICATOR = "hennepkwekerijen_per_1000_woningen"
WIJK = "WK030800"  # Wijk 00 Baarn, which holds the buurt Centrum (BU03080000)

#: Themes and whether the release (tests/browser/release.py) gives them a map: it holds no
#: figures of vastgoed or branches.
THEMES = {"vastgoed": False, "drugs": True, "transacties": True, "branches": False, "context": True}

#: One page of every type: (name for the screenshots, path, expected status, has a map).
PAGE_TYPES = [
    ("home", "/", 200, True),
    ("search", "/zoeken/?q=baar", 200, False),
    *[(f"theme-{theme}", f"/thema/{theme}/", 200, mapped) for theme, mapped in THEMES.items()],
    ("provincie", "/provincie/PV26/", 200, True),
    ("gemeente", f"/gemeente/{BAARN_GEMEENTE}/", 200, True),
    ("wijk", f"/wijk/{WIJK}/", 200, True),
    ("buurt", f"/buurt/{SUPPRESSED_BUURT}/", 200, True),
    ("indicator-national", f"/indicator/{INDICATOR}/", 200, True),
    ("indicator-gemeente", f"/indicator/{INDICATOR}/{BAARN_GEMEENTE}/", 200, True),
    ("indicator-wijk", f"/indicator/{INDICATOR}/{WIJK}/", 200, True),
    ("indicator-buurt", f"/indicator/{INDICATOR}/{SUPPRESSED_BUURT}/", 200, True),
    ("compare", f"/vergelijk/?gebied={BAARN_GEMEENTE}&gebied=GM0355", 200, False),
    ("briefing", f"/gemeente/{BAARN_GEMEENTE}/briefing/", 200, False),
    ("methode", "/methode/", 200, False),
    ("privacy", "/privacy/", 200, False),
    ("toegankelijkheid", "/toegankelijkheid/", 200, False),
    ("not-found", "/gemeente/GM9999/", 404, False),
]
ZOEKGEBIEDEN_TABLE = "section[aria-labelledby=zoekgebieden-heading] table"


def check_csv_download(download, buurt: str) -> None:
    """The buurt's CSV: '# ' explanation lines, then the header, then rows in which a suppressed
    value is an empty cell with its status code beside it."""
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    raw = open(download.path(), "rb").read()
    assert raw.startswith("\ufeff".encode()), "UTF-8 with a byte order mark, for Excel"
    lines = raw.decode("utf-8-sig").splitlines()
    explanation = [line for line in lines if line.startswith("# ")]
    assert len(explanation) >= 3 and lines[: len(explanation)] == explanation, lines[:5]
    assert "Centrum" in lines[0], lines[0]

    rows = list(csv.reader(io.StringIO("\n".join(lines[len(explanation):])), delimiter=";"))
    with translation.override("nl"):
        columns = pages.profile_columns()
        expected_header = [str(c.label) for c in columns if not c.page_only]
        value_label, status_label = translation.gettext("Value"), translation.gettext("Status")
    header, body = rows[0], rows[1:]
    assert header == expected_header
    value_at, status_at = header.index(value_label), header.index(status_label)
    assert body and all(len(row) == len(header) for row in body)

    suppressed = [row for row in body if row[status_at] in formatting.SUPPRESSED_CODES]
    published = [row for row in body if row[status_at] == "V"]
    assert suppressed, "Centrum has too few records: some of its cells are suppressed"
    assert published, "and some are published (its inhabitants, for one)"
    assert all(row[value_at] == "" for row in suppressed), [r for r in suppressed if r[value_at]]
    assert all(row[value_at] != "" for row in published)
    # As many suppressed rows as the release holds for the buurt (every indicator, every year).
    withheld = PublishedValue.objects.filter(
        area_code=buurt, status__in=formatting.SUPPRESSED_CODES, sbi_section=""
    )
    assert len(suppressed) == withheld.count()


# ---------------------------------------------------------------- the visitor's path


def test_path_by_mouse(published_release, live_server, browser):
    errors: list[str] = []
    page = new_page(browser, 1280, errors)
    watch = Watch(live_server.url, errors)
    watch.attach(page)

    page.goto(live_server.url + "/")
    assert wait_for_map(page) == 342  # every gemeente on the national map
    page.click("#site-search-q")
    page.keyboard.type("Baarn")
    page.click(".site-search button[type=submit]")
    page.wait_for_url(f"**/gemeente/{BAARN_GEMEENTE}/")
    assert page.locator("h1").inner_text() == "Baarn"
    assert wait_for_map(page) == 5

    page.locator(f'main a[href="/indicator/{INDICATOR}/{BAARN_GEMEENTE}/"]').first.click()
    page.wait_for_url(f"**/indicator/{INDICATOR}/{BAARN_GEMEENTE}/")
    assert wait_for_map(page) == 5  # the wijken of Baarn, coloured by their values
    click_area(page, WIJK)
    page.wait_for_url(f"**/indicator/{INDICATOR}/{WIJK}/")
    buurten = wait_for_map(page)
    assert buurten >= 2, "the buurten of the wijk"
    assert "Wijk 00 Baarn" in page.locator("h1").inner_text()
    assert page.locator(f'#values-table a[href="/buurt/{SUPPRESSED_BUURT}/"]').count() == 1

    click_area(page, SUPPRESSED_BUURT)  # at the buurt level, an area leads to its page
    page.wait_for_url(f"**/buurt/{SUPPRESSED_BUURT}/")
    assert page.locator("h1").inner_text() == "Centrum"
    wait_for_map(page)

    with page.expect_download() as info:
        page.locator('.downloads a[href$="formaat=csv"]').first.click()
    check_csv_download(info.value, SUPPRESSED_BUURT)
    assert watch.problems() == []


def test_path_by_keyboard(published_release, live_server, browser):
    errors: list[str] = []
    page = new_page(browser, 1280, errors)
    watch = Watch(live_server.url, errors)
    watch.attach(page)
    page.goto(live_server.url + "/")
    wait_for_map(page)

    # The skip link comes first and moves focus to the content.
    page.keyboard.press("Tab")
    state = focus_state(page)
    assert "skip-link" in state["className"] and state["href"] == "#main", state
    assert_focus_visible(state, "skip link")
    page.keyboard.press("Enter")
    assert focus_state(page)["id"] == "main", "the skip link moves focus to <main>"
    following = tab_until(page, lambda s: True, "after the skip link")
    in_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert in_main, f"Tab after the skip link goes on inside <main>: {following}"

    # Back up to the header's search field, type, submit.
    tab_until(page, lambda s: s["id"] == "site-search-q", "the search field", backwards=True)
    page.keyboard.type("Baarn")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gemeente/{BAARN_GEMEENTE}/")
    wait_for_map(page)

    # On to the first link to an indicator of Baarn.
    def indicator_of_baarn(state):
        return state["href"].startswith("/indicator/") and state["href"].endswith(f"/{BAARN_GEMEENTE}/")

    state = tab_until(page, indicator_of_baarn, "a link to an indicator")
    slug = state["href"].split("/")[2]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/indicator/{slug}/{BAARN_GEMEENTE}/")
    assert wait_for_map(page) == 5

    # Into the map: the areas are links, Enter opens one.
    state = tab_until(page, lambda s: s["tag"] == "path", "the first area on the map")
    assert state["role"] == "link" and "(WK0308" in state["label"], state
    if not state["label"].endswith(f"({WIJK})"):
        tab_until(page, lambda s: s["label"].endswith(f"({WIJK})"), f"wijk {WIJK} on the map", limit=10)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/indicator/{slug}/{WIJK}/")
    wait_for_map(page)

    tab_until(page, lambda s: s["label"].endswith(f"({SUPPRESSED_BUURT})"), "Centrum on the map")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/buurt/{SUPPRESSED_BUURT}/")
    wait_for_map(page)

    tab_until(page, lambda s: s["href"].endswith("formaat=csv"), "the CSV download", limit=400)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    check_csv_download(info.value, SUPPRESSED_BUURT)
    assert watch.problems() == []


# ---------------------------------------------------------------- every page type


def map_problems(page, has_map: bool) -> list[str]:
    """What is wrong with the page's map: missing, not started, or without areas."""
    if not has_map:
        return ["a map the test does not expect"] if page.locator("#area-map").count() else []
    if page.locator("#area-map").count() == 0:
        return ["no map"]
    try:
        wait_for_map(page)
    except AssertionError as failure:
        return [str(failure)]
    return [] if drawn_areas(page) > 0 else ["the map drew no areas"]


def test_every_page_type_for_two_visitors_under_the_csp_then_axe(published_release, live_server, browser):
    """Two visitors open every page type in turn, each in a browser context of its own under
    the CSP the live server sends: the second gets the fragments cached on the first one's visit.
    For both: no CSP violation, no script error, no failing request of the portal's own, and the
    map (where the page has one) has drawn its areas. Then axe-core on the page (trend charts
    opened)."""
    source = axe_source()
    visitors = []
    for _ in range(2):
        errors: list[str] = []
        page = new_page(browser, DESKTOP, errors)  # the CSP as visitors get it
        watch = Watch(live_server.url, errors)
        watch.attach(page)
        visitors.append((page, watch))
    axe_errors: list[str] = []
    axe_page = new_axe_page(browser, DESKTOP, axe_errors)

    problems, reports = [], []
    for name, path, status, has_map in PAGE_TYPES:
        for number, (page, watch) in enumerate(visitors, start=1):
            response = page.goto(live_server.url + path)
            assert response.status == status, f"{path}: {response.status}"
            assert page.url == live_server.url + path, f"{path} was sent on to {page.url}"
            found = map_problems(page, has_map) + watch.problems()
            problems += [f"{path}, visitor {number}: {problem}" for problem in found]
            watch.reset()
        screenshot(page, f"dashboards-{name}-desktop")  # as the second visitor sees it

        axe_page.goto(live_server.url + path)
        wait_for_map(axe_page)
        open_all_details(axe_page)
        violations = axe_violations(axe_page, source)
        if violations:
            reports.append(describe_violations(path, violations))
    assert not axe_errors, axe_errors
    assert not problems, "\n".join(problems)
    assert not reports, "axe-core (WCAG 2.0/2.1 A+AA) found violations:\n" + "\n".join(reports)


def test_the_checks_can_fail(live_server, browser):
    """The checks are live: on a real page, an image without alternative text is an axe
    violation, an inline script a CSP violation, a thrown error a script error, a link without
    its focus outline fails the focus check and a long word sticks out on a phone."""
    errors: list[str] = []
    page = new_page(browser, 1280, errors)
    watch = Watch(live_server.url, errors)
    watch.attach(page)
    response = page.goto(live_server.url + "/privacy/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert watch.problems() == []
    page.evaluate("""() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.appendChild(script);
      setTimeout(() => { throw new Error('a planted error'); });
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None, "the CSP blocked the inline script"
    problems = watch.problems()
    assert any("Content Security Policy" in problem for problem in problems), problems
    assert any("securitypolicyviolation: script-src" in problem for problem in problems), problems
    assert any("a planted error" in problem for problem in problems), problems

    axe_page = new_axe_page(browser, 1280, errors)
    axe_page.goto(live_server.url + "/privacy/")
    main = "document.querySelector('main')"
    axe_page.evaluate(f"{main}.insertAdjacentHTML('beforeend', '<img src=\"/static/none.png\">')")
    violations = axe_violations(axe_page, axe_source())
    assert "image-alt" in {v["id"] for v in violations}
    assert "image-alt" in describe_violations("/privacy/", violations)

    axe_page.add_style_tag(content="a:focus-visible { outline: none !important; }")
    axe_page.keyboard.press("Tab")
    with pytest.raises(AssertionError, match="focus not visible"):
        assert_focus_visible(focus_state(axe_page), "a link without its outline")

    axe_page.set_viewport_size({"width": 360, "height": 900})
    assert horizontal_overflow(axe_page, 360) == (360, [])
    # Preformatted text never wraps: a line of it wider than the phone must be found.
    axe_page.evaluate(f"{main}.insertAdjacentHTML('afterbegin', '<pre>Toegankelijkheidsverklaringen en Toegankelijkheidsverklaringen</pre>')")
    scroll_width, offenders = horizontal_overflow(axe_page, 360)
    assert scroll_width > 361 and "Toegankelijkheidsverklaringen" in " ".join(offenders), offenders


def test_every_page_type_fits_a_phone(published_release, live_server, browser):
    errors: list[str] = []
    page = new_page(browser, PHONE, errors)
    watch = Watch(live_server.url, errors)
    watch.attach(page)
    too_wide = []
    for name, path, status, _ in PAGE_TYPES:
        response = page.goto(live_server.url + path)
        assert response.status == status, f"{path}: {response.status}"
        wait_for_map(page)
        open_all_details(page)
        if name == "gemeente":
            # The widest table of the site: the width check must see it (release.py makes a wijk
            # of Baarn a kansrijk zoekgebied).
            assert page.locator(ZOEKGEBIEDEN_TABLE).count() == 1, "no zoekgebieden on the gemeente page"
            assert ZOEKGEBIED_WIJK in page.locator(ZOEKGEBIEDEN_TABLE).inner_text()
        screenshot(page, f"dashboards-{name}-phone")
        scroll_width, offenders = horizontal_overflow(page, 360)
        if scroll_width > 360 + 1:
            too_wide.append(f"{path}: scrollWidth {scroll_width} > 360; sticking out: {offenders}")
    assert not too_wide, "pages that scroll sideways at 360 px:\n" + "\n".join(too_wide)
    assert watch.problems() == []
