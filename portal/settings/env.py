"""The one place settings read the environment from.

Every settings module imports ``env`` and ``BASE_DIR`` from here, so a variable has one
parser and one default. An optional ``.env`` file in the project root is read for local use;
the real environment always wins.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
