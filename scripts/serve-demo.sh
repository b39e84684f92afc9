#!/usr/bin/env bash
# Serve the portal for the demo. With CELERY_BROKER_URL set (production services), a Celery
# worker runs beside the web server and stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
if [ -n "${CELERY_BROKER_URL:-}" ]; then
  "$(dirname "$PY")/celery" -A portal worker --loglevel=INFO --concurrency=2 &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true' EXIT
fi
echo "Zicht runs on http://127.0.0.1:$PORT/  (admin: http://127.0.0.1:$PORT/admin/; workspace: http://127.0.0.1:$PORT/werkruimte/; demo accounts and their second factors: README, or the lines above)"
"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload
