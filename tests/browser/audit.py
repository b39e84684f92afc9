"""What the dashboard browser tests check on a page: axe-core, focus, errors, overflow, the map.

axe-core comes from the pinned PyPI package axe-playwright-python, which ships axe.min.js: no
CDN at run time. The pages run under a strict CSP (script-src 'self', no inline script), so axe
is injected in a context of its own that bypasses CSP; the pages are also opened in ordinary
contexts, where every CSP violation (console message and securitypolicyviolation event) and
script error is caught.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.helpers import viewport

#: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAP_STARTED = "#area-map.leaflet-container"
MAP_START_TIMEOUT = 15_000  # ms after navigation; the page and its scripts are local
MAP_READY = '#area-map[aria-busy="false"]'
#: Every CSP violation the browser reports to the page, passed to the test through a binding
#: (bindings and init scripts are Playwright's own, outside the page's CSP).
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', e => window.zichtCspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'an inline script'} at ${e.sourceFile}:${e.lineNumber}`));"""


def axe_source() -> str:
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@dataclass
class Watch:
    """What went wrong on the pages of one browser context."""

    origin: str
    errors: list[str] = field(default_factory=list)  # uncaught script errors (helpers.new_page)
    csp: list[str] = field(default_factory=list)  # Content Security Policy violations
    failed: list[str] = field(default_factory=list)  # the site's own resources that failed

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.expose_function("zichtCspViolation", self._violation)
        page.add_init_script(CSP_LISTENER)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp.append(f"{message.location.get('url', '')}: {message.text}")

    def _violation(self, text: str) -> None:
        self.csp.append(f"securitypolicyviolation: {text}")

    def _own(self, request) -> bool:
        return request.url.startswith(self.origin) and request.resource_type != "document"

    def _response(self, response) -> None:
        if response.status >= 400 and self._own(response.request):
            self.failed.append(f"{response.status} {response.url}")

    def _request_failed(self, request) -> None:
        if self._own(request):
            self.failed.append(f"{request.failure} {request.url}")

    def reset(self) -> None:
        self.errors.clear()
        self.csp.clear()
        self.failed.clear()

    def problems(self) -> list[str]:
        return (
            [f"JS error: {error}" for error in self.errors]
            + [f"CSP: {violation}" for violation in self.csp]
            + [f"failed: {failure}" for failure in self.failed]
        )


def new_axe_page(browser, size, errors: list[str]):
    """Like helpers.new_page, in a context that lets the injected axe script past the CSP."""
    context = browser.new_context(viewport=viewport(size), locale="nl-NL", bypass_csp=True)
    context.route("https://service.pdok.nl/**", lambda route: route.abort())
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def wait_for_map(page) -> int:
    """Wait until the map (if the page has one) has drawn its areas; the number of areas."""
    if page.locator("#area-map").count() == 0:
        return 0
    try:
        # Leaflet starts on the load event; a script the CSP blocked never starts it.
        page.wait_for_selector(MAP_STARTED, state="attached", timeout=MAP_START_TIMEOUT)
    except PlaywrightTimeout:
        raise AssertionError(f"{page.url}: the map did not start (a blocked script?)") from None
    page.wait_for_selector(MAP_READY)
    alerts = page.locator(".map-section [role=alert]")
    assert alerts.count() == 0, f"{page.url}: {alerts.first.inner_text()}"
    return page.locator("#area-map path[role=link]").count()


def drawn_areas(page) -> int:
    """The areas Leaflet has drawn on the page's map (SVG paths in its overlay pane)."""
    return page.locator("#area-map .leaflet-overlay-pane path").count()


def open_all_details(page) -> None:
    """The trend charts sit in <details>: open them, so axe checks what they hold too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


# ---------------------------------------------------------------- axe-core


AXE_RUN = """async tags => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {
    passes: r.passes.length,
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    })),
  };
}"""


def axe_violations(page, source: str) -> list[dict]:
    """What axe-core finds wrong on the page as it is now, by the WCAG 2.0/2.1 A and AA rules."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    # axe ran its rules: a page always passes some (the document has a title, the html a lang).
    assert result["passes"] > 0, f"axe-core checked nothing on {page.url}"
    return result["violations"]


def describe_violations(where: str, violations: list[dict], *, nodes: int = 5) -> str:
    """Readable: rule id, impact, what it asks, then the elements (CSS selectors) and why."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:nodes]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}  | {summary[:300]}")
        if len(v["nodes"]) > nodes:
            lines.append(f"    … and {len(v['nodes']) - nodes} more")
    return "\n".join(lines)


# ---------------------------------------------------------------- focus


FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body'};
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const className = el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className;
  return {
    tag: el.tagName.toLowerCase(), id: el.id, className: String(className || ''),
    href: el.getAttribute('href') || '', label: el.getAttribute('aria-label') || '',
    role: el.getAttribute('role') || '', text: (el.innerText || '').trim().slice(0, 60),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow, strokeWidth: parseFloat(style.strokeWidth) || 0,
    focusVisible: el.matches(':focus-visible'), width: box.width, height: box.height,
    tooltip: document.querySelectorAll('.leaflet-tooltip').length,
  };
}"""


def focus_state(page) -> dict:
    return page.evaluate(FOCUS_STATE)


def assert_focus_visible(state: dict, step: str) -> None:
    """The focused element shows it: an outline or a box shadow. A map area is an SVG path,
    which the map shows focused by its thicker border (stroke, Leaflet's hover style) and its
    tooltip, as area-map.js does; ``.area-map path:focus`` turns the outline off."""
    assert state["tag"] != "body", f"{step}: nothing has focus"
    shown = state["width"] > 0 and state["height"] > 0
    assert shown, f"{step}: the focused element is not shown: {state}"
    if state["tag"] == "path":
        marked = state["strokeWidth"] >= 3 and state["tooltip"] >= 1
        assert marked, f"{step}: focused map area not marked: {state}"
        return
    outline = state["outlineStyle"] != "none" and state["outlineWidth"] > 0
    shadow = state["boxShadow"] not in ("", "none")
    assert outline or shadow, f"{step}: focus not visible (no outline, no box-shadow): {state}"


def tab_until(page, predicate, step: str, *, limit: int = 250, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies ``predicate``; every element
    passed on the way must show its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        state = focus_state(page)
        assert_focus_visible(state, f"{step} ({page.url})")
        if predicate(state):
            return state
    raise AssertionError(f"{step}: not reached with {limit} × {key} on {page.url}")


# ---------------------------------------------------------------- the map


AREA_POINT = """async code => {
  const path = [...document.querySelectorAll('#area-map path[role=link]')]
    .find(p => (p.getAttribute('aria-label') || '').endsWith('(' + code + ')'));
  if (!path) return null;
  // Leaflet may still be panning or zooming to the areas: wait until the area stands still.
  let last = '';
  for (let i = 0; i < 40; i++) {
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 50)));
    const b = path.getBoundingClientRect(), now = [b.left, b.top, b.width, b.height].join();
    if (now === last && !document.querySelector('#area-map.leaflet-zoom-anim')) break;
    last = now;
  }
  const box = path.getBoundingClientRect();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const x = box.left + box.width * ((i * 7) % 24) / 24;
    const y = box.top + box.height * ((j * 5) % 24) / 24;
    if (document.elementFromPoint(x, y) === path) return {x, y};
  }
  return null;
}"""


def click_area(page, code: str) -> None:
    """Click a map area with the mouse, on a point that really is that area (a path's middle
    can lie in its neighbour)."""
    page.locator("#area-map").scroll_into_view_if_needed()
    point = page.evaluate(AREA_POINT, code)
    assert point is not None, f"no visible area {code} on the map of {page.url}"
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])


# ---------------------------------------------------------------- the page width


OVERFLOW = """limit => {
  // Where the page starts to stick out past the right edge: an element that reaches past it,
  // that no element around it which scrolls or clips holds in, and whose parent does not stick
  // out itself. An absolutely positioned element escapes a scroller that is not its containing
  // block. Then text wider than its box (a long word that does not wrap).
  const past = el => el.getBoundingClientRect().right > limit + 1;
  const held = el => {
    let position = getComputedStyle(el).position;
    if (position === 'fixed') return true;
    for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      const style = getComputedStyle(p);
      const containing = style.position !== 'static' || style.transform !== 'none';
      if (position === 'absolute' && !containing) continue;
      if (style.overflowX !== 'visible' && !past(p)) return true;
      position = style.position;
      if (position === 'fixed') return true;
    }
    return false;
  };
  const sticks = el => el.getBoundingClientRect().width > 0 && past(el) && !held(el);
  const name = el => {
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes.map(c => c && '.' + c).join('');
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const parent = el.parentElement;
    if (!sticks(el) || (parent && parent !== document.body && sticks(parent))) continue;
    const parents = [];
    for (let p = parent; p && p !== document.body && parents.length < 3; p = p.parentElement) {
      parents.push(name(p));
    }
    const box = el.getBoundingClientRect();
    out.push(`${name(el)} (in ${parents.join(' < ')}) right=${Math.round(box.right)} width=${Math.round(box.width)}`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement, range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.right <= limit + 1 || sticks(parent) || held(parent)) continue;
    if (getComputedStyle(parent).overflowX !== 'visible' && !past(parent)) continue;
    const text = JSON.stringify(node.textContent.trim().slice(0, 40));
    out.push(`text ${text} in ${name(parent)} right=${Math.round(box.right)}`);
  }
  return out.length > 6 ? out.slice(0, 6).concat([`… ${out.length} in all`]) : out;
}"""


def horizontal_overflow(page, width: int) -> tuple[int, list[str]]:
    """The page's scroll width and, if it is wider than the screen, what sticks out."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return scroll_width, (page.evaluate(OVERFLOW, width) if scroll_width > width + 1 else [])
