"""`make bench`, part 7: requests per second of the open data values endpoint under gunicorn.

Reads the demo database (``make demo`` or ``make demo-data`` first: it needs a published
release). Starts the production web server the README names (``gunicorn portal.wsgi`` with
``portal.settings.production``) on a free loopback port, warms it up, and loads it from a
separate process: ``wrk`` (Debian package ``wrk``) when installed, else a small Python load
generator (threads with keep-alive ``http.client`` connections). Two selections of
``/api/v1/waarden/``: one indicator for all buurten of Amsterdam (the gemeente with the most
buurten) and one indicator for all gemeenten, each as JSON (the largest page, ``page_size=200``),
as CSV (every row in one answer) and as the 304 a client gets when it sends the ETag back.

The server runs as in production except what loopback needs: no HTTPS redirect or HSTS, a
throwaway SECRET_KEY, and the anonymous throttle raised (``API_ANON_RATE``) so that the limit
is not what is measured; its bookkeeping still runs on every request. Non-2xx answers (other
than the expected 304) and socket errors are counted and must be 0. Target: at least 300
requests/s warm on two cores.

    .venv/bin/python -m bench.api                      # the production setup, both caches
    .venv/bin/python -m bench.api --sweep              # also 2-5 workers, sync vs gthread
    .venv/bin/python -m bench.api --duration 20 --connections 32
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from apps.releases.cache import current_release  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
INDICATOR = "aankopen_zonder_hypotheek"
GEMEENTE = "GM0363"  # Amsterdam: the most buurten
ANON_RATE = "100000/s"
TARGET = 300
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "rediscache://127.0.0.1:6379/9")
TIMEOUT_SECONDS = 5


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    bytes: int = 0
    errors: int = 0  # socket errors and timeouts
    statuses: dict[int, int] = field(default_factory=dict)
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def unexpected(self, expected: int) -> int:
        return self.errors + sum(count for status, count in self.statuses.items() if status != expected)


# ------------------------------------------------------------------------------------------ server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(cache_url: str | None) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        # Plain HTTP on loopback: no redirect to HTTPS, no HSTS, no proxy header to trust.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "USE_X_FORWARDED_PROTO": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "API_ANON_RATE": ANON_RATE,
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
    }
    environment.pop("CACHE_URL", None)
    if cache_url:
        environment["CACHE_URL"] = cache_url
    return environment


class Gunicorn:
    """gunicorn in its own process group, stopped (and killed if it must) on leaving."""

    def __init__(self, *, workers: int, worker_class: str, threads: int, cache_url: str | None, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [str(GUNICORN), "portal.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                   "--worker-class", worker_class, "--timeout", "60", "--keep-alive", "5"]
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        self.log = log
        self.process = subprocess.Popen(command, cwd=ROOT, env=server_environment(cache_url),
                                        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until_ready(self, path: str = "/api/v1/releases/", seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer; its log:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------------- load generators

# Latency percentiles, every status and the socket errors, summed over wrk's threads.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ZICHT %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.bytes, e.connect + e.read + e.write + e.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("ZICHT_STATUS %d %d\\n", status, count))
    end
  end
end
"""


def run_wrk(url: str, *, seconds: float, connections: int, headers: dict[str, str], script: Path) -> Result:
    command = ["wrk", "--threads", "2", "--connections", str(connections), "--duration", f"{seconds:g}s",
               "--timeout", f"{TIMEOUT_SECONDS}s", "--script", str(script)]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    result = Result()
    for line in output.splitlines():
        if line.startswith("ZICHT "):
            requests, duration, size, errors, p50, p95, p99, _max = (int(part) for part in line.split()[1:])
            result.requests, result.seconds, result.bytes, result.errors = requests, duration / 1e6, size, errors
            result.p50, result.p95, result.p99 = p50 / 1000, p95 / 1000, p99 / 1000
        elif line.startswith("ZICHT_STATUS "):
            status, count = (int(part) for part in line.split()[1:])
            result.statuses[status] = result.statuses.get(status, 0) + count
    return result


def run_python(url: str, *, seconds: float, connections: int, headers: dict[str, str], script: Path) -> Result:
    """One thread per connection, keep-alive where the server allows it (gunicorn's sync workers
    close every connection, so those reconnect). Slower than wrk: the figures are a lower bound."""
    target = urllib.parse.urlparse(url)
    path = target.path + "?" + target.query
    lock = threading.Lock()
    result = Result()
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    def worker():
        connection = None
        own_latencies, own_statuses, own_bytes, own_errors = [], {}, 0, 0
        while time.perf_counter() < stop_at:
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=TIMEOUT_SECONDS)
                start = time.perf_counter()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                own_latencies.append(time.perf_counter() - start)
                own_statuses[response.status] = own_statuses.get(response.status, 0) + 1
                own_bytes += len(body)
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                own_errors += 1
                connection = None
        with lock:
            latencies.extend(own_latencies)
            result.bytes += own_bytes
            result.errors += own_errors
            for status, count in own_statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + count

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.requests = len(latencies)
    if latencies:
        cuts = statistics.quantiles(latencies, n=100)
        result.p50, result.p95, result.p99 = cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000
    return result


LOAD_GENERATOR = run_wrk if shutil.which("wrk") else run_python


# ------------------------------------------------------------------------------------------- bench


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def selections(base: str) -> dict[str, str]:
    status, _headers, body = fetch(f"{base}/api/v1/indicatoren/{INDICATOR}/")
    if status != 200:
        raise RuntimeError(f"/api/v1/indicatoren/{INDICATOR}/ answered {status}: {body[:300]!r}")
    year = max(int(found) for found in re.findall(r"\d{4}", re.search(rb'"jaren":\[([^]]*)]', body)[1].decode()))
    common = f"/api/v1/waarden/?indicator={INDICATOR}&jaar={year}"
    buurten = f"{common}&niveau=buurt&binnen={GEMEENTE}"
    gemeenten = f"{common}&niveau=gemeente"
    return {
        f"buurten of {GEMEENTE}, JSON page of 200": f"{buurten}&page_size=200",
        f"buurten of {GEMEENTE}, CSV (all)": f"{buurten}&formaat=csv",
        "all gemeenten, JSON page of 200": f"{gemeenten}&page_size=200",
        "all gemeenten, CSV (all)": f"{gemeenten}&formaat=csv",
    }


@dataclass
class Row:
    setup: str
    label: str
    variant: str  # "200" or "304"
    size: int
    count: str
    result: Result
    first_ms: float = 0.0  # the first request after start: the answer is built (cold)


def measure(server: Gunicorn, urls: dict[str, str], *, seconds: float, connections: int, script: Path,
            setup: str, with_304: bool = True) -> list[Row]:
    rows = []
    for label, path in urls.items():
        url = server.base + path
        start = time.perf_counter()
        status, headers, body = fetch(url)
        first_ms = (time.perf_counter() - start) * 1000
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
        count = re.search(rb'"count":(\d+)', body[:200])
        count = count[1].decode() if count else str(body.count(b"\n") - 1)
        # Warm up: every worker builds (or fetches) the cached answer before the clock runs.
        LOAD_GENERATOR(url, seconds=3, connections=connections, headers={}, script=script)
        rows.append(Row(setup, label, "200", len(body), count,
                        LOAD_GENERATOR(url, seconds=seconds, connections=connections, headers={}, script=script),
                        first_ms))
        etag = headers.get("ETag")
        # The 304 path does not depend on the format: measured once per selection, on JSON.
        if with_304 and etag and "JSON" in label:
            assert fetch(url, {"If-None-Match": etag})[0] == 304, path
            rows.append(Row(setup, label, "304", 0, count,
                            LOAD_GENERATOR(url, seconds=seconds, connections=connections,
                                           headers={"If-None-Match": etag}, script=script)))
    return rows


def print_rows(rows: list[Row]) -> None:
    print(f"  {'setup':28} {'selection':38} {'st':>3} {'rows':>5} {'KB':>6} {'cold ms':>7} {'req/s':>7} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'bad':>4}")
    for row in rows:
        result = row.result
        cold = f"{row.first_ms:7.0f}" if row.first_ms else f"{'':7}"
        print(f"  {row.setup:28} {row.label:38} {row.variant:>3} {row.count:>5} {row.size / 1024:6.1f} {cold} "
              f"{result.per_second:7.0f} {result.p50:7.1f} {result.p95:7.1f} {result.p99:7.1f} "
              f"{result.unexpected(int(row.variant)):4d}")


def _redis_address(url: str) -> tuple[str, int]:
    host, port = re.search(r"//([^:/]+):(\d+)", url).groups()
    return host, int(port)


def redis_available(url: str) -> bool:
    try:
        socket.create_connection(_redis_address(url), timeout=1).close()
        return True
    except OSError:
        return False


def redis_hits_and_misses(url: str) -> tuple[int, int]:
    """Server-wide keyspace hits and misses (INFO stats), to see that the cache is read."""
    with socket.create_connection(_redis_address(url), timeout=2) as connection:
        connection.sendall(b"INFO stats\r\n")
        reply = b""
        while b"keyspace_misses" not in reply or not reply.endswith(b"\r\n"):
            reply += connection.recv(65536)
    stats = dict(re.findall(rb"(keyspace_hits|keyspace_misses):(\d+)", reply))
    return int(stats[b"keyspace_hits"]), int(stats[b"keyspace_misses"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--sweep", action="store_true", help="also 2-5 workers, sync and gthread (shorter runs)")
    options = parser.parse_args()

    release = current_release()
    if release is None:
        print("bench.api: no published release in the demo database; run `make demo-data` first.")
        return 0
    if not GUNICORN.exists():
        print(f"bench.api: {GUNICORN} is missing; run `make install` first.")
        return 1
    generator = "wrk" if LOAD_GENERATOR is run_wrk else "Python threads + http.client (wrk not installed)"
    print(f"Open data API, /api/v1/waarden/, release {release.number}: gunicorn (portal.settings.production) "
          f"on loopback, {os.cpu_count()} cores")
    print(f"  load: {generator}, {options.connections} connections, {options.duration:g} s per row after 3 s "
          f"warm-up; API_ANON_RATE={ANON_RATE} so the throttle (still counted) does not refuse the load")
    print(f"  load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")

    work = Path(tempfile.mkdtemp(prefix="zicht-bench-api-"))
    script = work / "count.lua"
    script.write_text(WRK_SCRIPT)
    caches = {"local memory": None}
    if redis_available(REDIS_URL):
        caches["Redis"] = REDIS_URL
    setups = [(f"{options.worker_class} ×{options.workers}", options.workers, options.worker_class, cache_name, url)
              for cache_name, url in caches.items()]
    rows: list[Row] = []
    notes: list[str] = []
    urls = None
    for name, workers, worker_class, cache_name, cache_url in setups:
        with Gunicorn(workers=workers, worker_class=worker_class, threads=options.threads, cache_url=cache_url,
                      log=work / "gunicorn.log") as server:
            server.wait_until_ready()
            urls = urls or selections(server.base)
            before = redis_hits_and_misses(cache_url) if cache_url else None
            measured = measure(server, urls, seconds=options.duration, connections=options.connections,
                               script=script, setup=f"{name}, {cache_name}")
            if before:
                hits, misses = (after - then for after, then in zip(redis_hits_and_misses(cache_url), before))
                served = sum(row.result.requests for row in measured)
                notes.append(f"Redis during the measured rows: {hits} hits, {misses} misses for {served} requests "
                             f"(+ warm-ups): {hits / max(served, 1):.1f} reads per request")
            rows += measured
    print_rows(rows)
    for note in notes:
        print(f"  {note}")

    if options.sweep:
        print("Workers and worker class (buurten JSON page, local-memory cache, 8 s each)")
        sweep_rows = []
        first = {label: path for label, path in urls.items() if "buurten" in label and "JSON" in label}
        for worker_class in ("sync", "gthread"):
            for workers in range(2, 6):
                with Gunicorn(workers=workers, worker_class=worker_class, threads=options.threads, cache_url=None,
                              log=work / "gunicorn.log") as server:
                    server.wait_until_ready()
                    threads = f" ({options.threads} threads)" if worker_class == "gthread" else ""
                    sweep_rows += measure(server, first, seconds=8, connections=options.connections,
                                          script=script, setup=f"{worker_class} ×{workers}{threads}", with_304=False)
        print_rows(sweep_rows)
        rows += sweep_rows

    print(f"  load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    bad = sum(row.result.unexpected(int(row.variant)) for row in rows)
    slowest = min(row.result.per_second for row in rows if row.variant == "200")
    print(f"  target {TARGET} requests/s warm, no errors: slowest {slowest:.0f} requests/s, "
          f"{bad} unexpected answers or socket errors")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
