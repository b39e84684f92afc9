"""The API (Django REST framework): who may call it, how errors and pages look, how often.

The workspace endpoints (/api/v1/werkruimte/) need a login: a token (header
``Authorization: Token <key>``, issued only to a session that passed the two-factor rule, see
apps.api.views.ApiKeyView) or the portal's session with its CSRF token. Open data endpoints
(issue 7) will set their own permission per view.

JSON only: DRF's browsable API renders inline ``style`` attributes and a ``<style>`` block,
which the portal's Content-Security-Policy (``style-src 'self'``) blocks, so it would show up
broken. An OpenAPI schema (drf-spectacular) is the way to browse the API instead.
"""

from .env import env

REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with "WWW-Authenticate: Token" (the first
    # class names the challenge), not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/min"),
        "user": env.str("API_USER_RATE", default="600/min"),
    },
    # "?format=" is not a way in: there is one format.
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
