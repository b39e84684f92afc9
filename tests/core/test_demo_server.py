"""`make demo` serves the portal as production would: DEBUG off unless the environment turns it on,
the portal's own error pages, static files collected and served by WhiteNoise."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

SERVE_DEMO = settings.BASE_DIR / "scripts" / "serve-demo.sh"


def _clean_environment(**extra: str) -> dict[str, str]:
    """Only what a fresh shell has: no DEBUG, no DJANGO_SETTINGS_MODULE, no test settings."""
    return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8", **extra}


def _demo_settings_module() -> str:
    match = re.search(r"DJANGO_SETTINGS_MODULE:-([\w.]+)", SERVE_DEMO.read_text())
    assert match, "serve-demo.sh names the settings it serves with"
    return match.group(1)


def _debug(**extra: str) -> str:
    code = "import importlib, sys; print(importlib.import_module(sys.argv[1]).DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code, _demo_settings_module()], cwd=settings.BASE_DIR,
        env=_clean_environment(**extra), capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()


def test_the_demo_settings_have_debug_off_unless_the_environment_turns_it_on():
    assert _debug() == "False"
    assert _debug(DEBUG="true") == "True"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
def test_make_demo_serves_like_production(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve-demo.log"
    # A database that is never opened: neither page below reads one.
    environment = _clean_environment(
        PORT=str(port), PY=sys.executable, STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"spatialite:///{tmp_path / 'zicht.sqlite3'}",
    )
    process = subprocess.Popen(["bash", str(SERVE_DEMO)], cwd=settings.BASE_DIR, env=environment,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                status, headers, html = _get(f"{base}/bestaat/niet/")
                break
            except OSError:
                time.sleep(0.5)

        assert status == 404
        assert "Pagina niet gevonden" in html
        assert "URLconf" not in html and "URL patterns" not in html
        assert headers["Server"].startswith("gunicorn")

        # The stylesheet by its content-hashed name, from the collected files, cached for good.
        stylesheet = re.search(r'href="(/static/css/zicht\.[0-9a-f]{12}\.css)"', html)
        assert stylesheet, html
        status, headers, css = _get(base + stylesheet.group(1))
        assert status == 200 and css
        assert "immutable" in headers["Cache-Control"]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
