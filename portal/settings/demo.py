"""The demo (``make demo``): production's settings, served over plain HTTP on loopback.

scripts/serve-demo.sh serves it as production would: gunicorn, DEBUG off (the portal's own 404
and 500 pages, never a traceback), WhiteNoise serving the collected, content-hashed static files.
Only what needs HTTPS is off by default, and the demo needs no environment at all; every value
can still be set in the environment, DEBUG=true included, for whoever wants to debug.
"""

import os

for _name, _value in {
    "SECRET_KEY": "insecure-demo-only-key-never-use-in-production",
    # http://127.0.0.1: cookies marked Secure would never come back, so no login would hold.
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    # No proxy in front: nobody may claim HTTPS through the header.
    "USE_X_FORWARDED_PROTO": "false",
}.items():
    os.environ.setdefault(_name, _value)

from .production import *  # noqa: E402,F401,F403
