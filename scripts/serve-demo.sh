#!/usr/bin/env bash
# Serve the portal for the demo as production serves it: gunicorn, DEBUG off (DEBUG=true in the
# environment turns it on), WhiteNoise serving the collected static files. With
# CELERY_BROKER_URL set (production services), a Celery worker runs beside the web server and
# stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-portal.settings.demo}

# Content-hashed copies (and their gzip/brotli versions) in STATIC_ROOT (var/static, git-ignored).
"$PY" manage.py collectstatic --noinput -v 0

if [ -n "${CELERY_BROKER_URL:-}" ]; then
  "$BIN/celery" -A portal worker --loglevel=INFO --concurrency=2 &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true' EXIT
fi
echo "Zicht runs on http://127.0.0.1:$PORT/  (admin: http://127.0.0.1:$PORT/admin/; workspace: http://127.0.0.1:$PORT/werkruimte/; demo accounts and their second factors: README, or the lines above)"
# One worker process with threads, not several processes:
# - the embedded default keeps its cache in process memory (which release is current, the API's
#   throttle counts): several processes would each keep their own, and a publication seen by one
#   would not reach the others for minutes;
# - SQLite lets one writer in at a time however many processes there are;
# - without a broker, Celery runs the stewards' pipeline inside the request that confirms an
#   upload (about six minutes for the demo's national run). A gthread worker reports to gunicorn
#   from its own main loop while a request thread works, so --timeout (meant for a hung worker;
#   60 s leaves room for booting on a busy machine) never ends that request, and the other
#   threads go on serving pages. Measured with a request of 8 s and --timeout 3: gthread answered
#   it and a page beside it at once; a sync worker answered the page only after 2.6 s and was
#   killed mid-request (500).
# WEB_CONCURRENCY and WEB_THREADS change this, e.g. with PostgreSQL and a Redis cache.
"$BIN/gunicorn" portal.wsgi --bind "127.0.0.1:$PORT" \
  --workers "${WEB_CONCURRENCY:-1}" --worker-class gthread --threads "${WEB_THREADS:-8}" \
  --timeout 60 --access-logfile - --error-logfile -
