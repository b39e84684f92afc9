"""Local development and the demo: safe defaults so the portal runs with no environment set."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "insecure-dev-only-key-never-use-in-production")

from .base import *  # noqa: E402,F401,F403
