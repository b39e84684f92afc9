"""The stewards' pipeline: where raw uploads are kept, how big they may be, how releases go out."""

from pathlib import Path

from .env import BASE_DIR, env

# Raw uploads are kept here, privately: never under MEDIA_ROOT or any URL.
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private")))

# Larger files are refused before they are read.
SOURCE_MAX_UPLOAD_BYTES = env.int("SOURCE_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Publish each new release as soon as it is built (True), or wait for a steward's approval.
RELEASES_AUTO_PUBLISH = env.bool("RELEASES_AUTO_PUBLISH", default=False)

# Failure drills only: each pipeline step waits this long after it starts, so a test (or an
# operator rehearsing recovery) can kill a worker mid-step. Always 0 in production.
PIPELINE_STEP_PAUSE_SECONDS = env.float("PIPELINE_STEP_PAUSE_SECONDS", default=0)

# Secret key of the cell-key rounding of published counts (BRIEF §5 rule 5). Whoever knows it can
# undo part of the noise, so it is as confidential as SECRET_KEY; without it, a key derived from
# SECRET_KEY is used. Changing it changes every rounded count in the next release.
DISCLOSURE_ROUNDING_KEY = env.str("DISCLOSURE_ROUNDING_KEY", default="")

# Count tables protected at the same time (processes, or threads inside a Celery worker).
DISCLOSURE_WORKERS = env.int("DISCLOSURE_WORKERS", default=2)
