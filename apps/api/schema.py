"""The API's contract: the OpenAPI schema (drf-spectacular) and its browsable docs.

- ``add_error_responses``, a post-processing hook, documents the errors every operation can
  give, with the shape apps.api.errors produces: 400 where the caller sends input, 401/403 where
  a login or a role is needed, 404 where the path names an item, 429 when throttled. An error an
  operation documents itself (``@extend_schema(responses=...)``) is kept as it is.
- The security schemes describe the two ways in: the key (``Authorization: Token <sleutel>``)
  and the portal's session cookie (with the CSRF token for writes).
- ``ApiDocsView`` serves Swagger UI from drf-spectacular-sidecar's static files, in the portal's
  layout and under its Content-Security-Policy: the set-up script is a static file
  (static/js/api-docs.js) that reads the schema URL from a data attribute, so the page has no
  inline script and no inline style.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme, TokenScheme
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.negotiation import DefaultContentNegotiation

from .errors import ERROR_SCHEMA, VALIDATION_ERROR_SCHEMA

ERROR_COMPONENT = "Fout"
VALIDATION_ERROR_COMPONENT = "Invoerfout"

ERROR_DESCRIPTIONS = {
    "400": _("Invalid input: a parameter or field is wrong (see fields)."),
    "401": _("Not logged in: send a key (Authorization: Token <key>) or use a session."),
    "403": _("Not allowed: your role does not permit this, or the CSRF token is missing."),
    "404": _("Not found, or not yours to read."),
    "429": _("Too many requests: wait and try again (see Retry-After)."),
}


class ZichtTokenScheme(TokenScheme):
    priority = 0

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        definition["description"] = (
            "Persoonlijke sleutel uit /api/v1/werkruimte/sleutel/, als header "
            "`Authorization: Token <sleutel>`. / Personal key, sent as `Authorization: Token <key>`."
        )
        return definition


class ZichtSessionScheme(SessionScheme):
    priority = 0

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        definition["description"] = (
            "De sessie van het portaal (ingelogd in de browser); schrijven vraagt de CSRF-token in "
            "de header X-CSRFToken. / The portal's session; writes need the CSRF token."
        )
        return definition


def _ref(component: str) -> dict:
    return {"$ref": f"#/components/schemas/{component}"}


def _error_response(code: str) -> dict:
    component = VALIDATION_ERROR_COMPONENT if code == "400" else ERROR_COMPONENT
    return {"description": str(ERROR_DESCRIPTIONS[code]), "content": {"application/json": {"schema": _ref(component)}}}


def _errors_of(path: str, method: str, operation: dict) -> list[str]:
    security = operation.get("security", [])
    anonymous_allowed = not security or {} in security
    # A path parameter that matches nothing is a 404; query parameters and bodies are checked.
    takes_input = any(p.get("in") != "path" for p in operation.get("parameters", [])) or "requestBody" in operation
    codes = []
    if takes_input:
        codes.append("400")
    if any("tokenAuth" in requirement for requirement in security):
        codes.append("401")  # a wrong or revoked key is refused even where no login is needed
    if not anonymous_allowed:
        codes.append("401")
        codes.append("403")
    elif method not in ("get", "head", "options") and security:
        codes.append("403")  # a session write without its CSRF token
    if "{" in path:
        codes.append("404")
    codes.append("429")
    return list(dict.fromkeys(codes))


def add_error_responses(result, generator, request, public):
    """Post-processing hook: the standard errors on every operation, and their components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    schemas.setdefault(VALIDATION_ERROR_COMPONENT, VALIDATION_ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code in _errors_of(path, method, operation):
                operation["responses"].setdefault(code, _error_response(code))
    return result


class FormatParameterNegotiation(DefaultContentNegotiation):
    """``?format=json`` or ``?format=yaml`` picks the schema's format (the API itself takes no
    ``?format=``: it has one); without it the Accept header decides, YAML by default."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return super().select_renderer(request, renderers, format_suffix or request.query_params.get("format"))


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of the whole API, YAML or JSON."""

    content_negotiation_class = FormatParameterNegotiation


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI for /api/v1/schema/, in the portal's own page (no CDN, no inline script)."""

    template_name = "api/docs.html"
    url_name = "api:schema"
    title = "Zicht API"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The portal's own settings hold (drf-spectacular opens the opener policy for OAuth2
        # pop-ups, which the API does not use).
        response.headers.pop("Cross-Origin-Opener-Policy", None)
        response.data["docs_script"] = static("js/api-docs.js")
        response.data["schema_yaml_url"] = reverse("api:schema") + "?format=yaml"
        response.data["schema_json_url"] = reverse("api:schema") + "?format=json"
        response.data["csrf_header_name"] = self._get_csrf_header_name()
        return response
