"""The API (Django REST framework): who may call it, how errors and pages look, how often.

The workspace endpoints (/api/v1/werkruimte/) need a login: a token (header
``Authorization: Token <key>``, issued only to a session that passed the two-factor rule, see
apps.api.views.ApiKeyView) or the portal's session with its CSRF token. Open data endpoints
(issue 7) will set their own permission per view.

JSON only: DRF's browsable API renders inline ``style`` attributes and a ``<style>`` block,
which the portal's Content-Security-Policy (``style-src 'self'``) blocks, so it would show up
broken. An OpenAPI schema (drf-spectacular) is the way to browse the API instead: the schema at
/api/v1/schema/ (JSON, or YAML with ``?format=yaml``/``Accept: application/yaml``) and Swagger UI
at /api/v1/docs/, served from drf-spectacular-sidecar's static files (no CDN) by apps.api.schema.
"""

from .env import env

REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with "WWW-Authenticate: Token" (the first
    # class names the challenge), not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.api.throttling.AnonWindowThrottle",
        "apps.api.throttling.UserWindowThrottle",
    ],
    # Callers are told apart by address. X-Forwarded-For is anyone's to write, so it is read only
    # as far as the proxies in front of the portal that set it (0: REMOTE_ADDR alone).
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/min"),
        "user": env.str("API_USER_RATE", default="600/min"),
    },
    # "?format=" is not a way in: there is one format.
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Zicht API",
    "DESCRIPTION": (
        "Open data: de gepubliceerde cijfers van Zicht (gebieden, thema's, indicatoren, waarden, "
        "zoekgebieden, releases), zonder login. Werkruimte: notities, vergelijkingen, kennis en eigen "
        "lagen van de ingelogde gebruiker (sessie of sleutel: `Authorization: Token <sleutel>`).\n\n"
        "Open data: the published figures of Zicht (areas, themes, indicators, values, search areas, "
        "releases), no login. Workspace: notes, comparisons, knowledge and own layers of the logged-in "
        "user (session or key: `Authorization: Token <key>`).\n\n"
        "Licentie / licence: CC BY 4.0 (bron/source: Zicht; gebiedsindelingen CBS / Kadaster). "
        "Afgeschermde cellen zijn leeg (`null`) met hun statuscode / withheld cells are `null` with "
        "their status code. Synthetische demodata is als zodanig gemarkeerd / synthetic demo data "
        "is marked as such."
    ),
    "VERSION": "1",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs are public: anyone may read how the API works.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "defaultModelsExpandDepth": 0, "tryItOutEnabled": False},
    "TAGS": [
        {"name": "releases", "description": "Releases: de gepubliceerde sets cijfers, met datum en bronnen."},
        {"name": "themas", "description": "Thema's / themes."},
        {"name": "indicatoren", "description": "Indicatoren: definities, eenheden, bronnen, kanttekeningen."},
        {"name": "gebieden", "description": "Gebieden en grenzen (GeoJSON) / areas and boundaries."},
        {"name": "grenzen", "description": "Grenzen als GeoJSON per ouder / boundaries as GeoJSON per parent."},
        {"name": "waarden", "description": "Gepubliceerde waarden met statuscode, vergelijkingen en significantie."},
        {"name": "zoekgebieden", "description": "Zoekgebieden per thema / search areas per theme."},
        {"name": "werkruimte", "description": "Werkruimte van de ingelogde gebruiker / the caller's workspace."},
    ],
    # Two choice sets share the field name "zichtbaarheid": give each a stable name.
    "ENUM_NAME_OVERRIDES": {
        "ZichtbaarheidEnum": "apps.workspaces.models.Visibility",
        "ZichtbaarheidVergelijkingEnum": "apps.api.serializers.COMPARISON_VISIBILITY_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema.add_error_responses",
    ],
}
