"""Tests: the same settings as development, with fast hashing and isolated output folders."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "insecure-test-only-key")
os.environ.setdefault("GEO_WEB_ROOT", tempfile.mkdtemp(prefix="zicht-geo-"))

from .base import *  # noqa: E402,F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests run tasks in-process; tests/integration starts a real worker on the Redis broker itself.
CELERY_TASK_ALWAYS_EAGER = True
