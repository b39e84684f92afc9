"""`make bench`, part 6: how fast the public pages answer and how much a first visit downloads.

Reads the demo database (``make demo`` or ``make demo-data`` first: it needs a published
release). Server time is the time Django takes to answer in-process (middleware, queries,
template), median of several requests: *cold* with the cache emptied before each request, *warm*
with the release's data cached. Bytes of a first visit: a headless Chromium loads the page from
a local server and every response is counted as it travels compressed (gzip), background map
tiles excluded. Targets: warm under 50 ms, a first visit under 600 KB.

    .venv/bin/python -m bench.pages
"""

import gzip
import os
import socket
import statistics
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from apps.releases.cache import current_release  # noqa: E402

INDICATOR = "aankopen_zonder_hypotheek"
PAGES = {
    "gemeente profile, Baarn (5 wijken)": "/gemeente/GM0308/",
    "gemeente profile, Amsterdam (99 wijken)": "/gemeente/GM0363/",
    "indicator page, all gemeenten": f"/indicator/{INDICATOR}/",
    "indicator page, wijken of Amsterdam": f"/indicator/{INDICATOR}/GM0363/",
    "indicator page, buurten of Amsterdam": f"/indicator/{INDICATOR}/GM0363/?niveau=buurt",
    "theme page, vastgoed": "/thema/vastgoed/",
}
COLD_RUNS, WARM_RUNS = 7, 30
CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")


def server_times(client: Client, url: str) -> tuple[float, float]:
    cold = []
    for _ in range(COLD_RUNS):
        cache.clear()
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        cold.append(time.perf_counter() - start)
    warm = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - start)
    return statistics.median(cold) * 1000, statistics.median(warm) * 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_visit_bytes(urls: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """{label: (requests, bytes as sent compressed, bytes uncompressed)}."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        out = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for label, url in urls.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("https://service.pdok.nl/**", lambda route: route.abort())
                page = context.new_page()
                seen = []
                page.on("requestfinished", lambda request: seen.append(request))
                page.goto(f"http://127.0.0.1:{port}{url}")
                page.wait_for_selector("#area-map[aria-busy=false]", timeout=30_000) if page.query_selector("#area-map") else None
                page.wait_for_load_state("networkidle")
                sent = raw = 0
                for request in seen:
                    response = request.response()
                    if response is None:
                        continue
                    body = response.body()
                    raw += len(body)
                    encoded = response.headers.get("content-encoding", "")
                    # What the server sent: compressed when it compressed; static files
                    # (whitenoise in production) compressed as gzip would.
                    sent += request.sizes()["responseBodySize"] if encoded else len(gzip.compress(body, 6))
                out[label] = (len(seen), sent, raw)
                context.close()
            browser.close()
        return out
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    release = current_release()
    if release is None:
        print("bench.pages: no published release in the demo database; run `make demo-data` first.")
        return
    print(f"Public pages, release {release.number} (median server time, in-process)")
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"  {'page':44} {'cold ms':>9} {'warm ms':>9}")
    for label, url in PAGES.items():
        cold, warm = server_times(client, url)
        print(f"  {label:44} {cold:9.1f} {warm:9.1f}")
    print("First visit (without map tiles): requests, KB sent compressed, KB uncompressed")
    for label, (requests, sent, raw) in first_visit_bytes(PAGES).items():
        print(f"  {label:44} {requests:4d} {sent / 1024:9.0f} {raw / 1024:9.0f}")


if __name__ == "__main__":
    main()
