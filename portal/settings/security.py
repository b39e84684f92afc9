"""Security headers, cookies and the Content-Security-Policy.

Production turns the HTTPS settings on (see production.py); they read the environment so a
deployment behind a TLS-terminating proxy can set them.
"""

from csp.constants import SELF

from .env import env
from .geo import PDOK_TILE_URL

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

_PDOK_ORIGIN = "/".join(PDOK_TILE_URL.split("/")[:3])

# No CDN at run time: scripts and styles come from this portal only, and no inline script at
# all: pages are cached per release, so a per-request nonce could not be in them (a script that
# needs data reads it from a json_script block). Map tiles are the one external origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _PDOK_ORIGIN],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
    }
}
