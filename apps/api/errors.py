"""Errors as JSON the caller can act on: ``{"detail": <message>, "code": <machine code>}``,
plus ``"fields": {<field>: [<message>, ...]}`` when input was refused.

The services raise Django's own PermissionDenied and ValidationError (they serve pages too);
they become 403 and 400 here, with the services' field names translated to the API's, so a
caller never meets a 500 for input it sent.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

# Field names of the models (as the services report them) → the API's field names.
API_FIELD_NAMES = {
    "area_code": "gebied",
    "area_codes": "gebieden",
    "body": "tekst",
    "indicator": "indicator",
    "indicators": "indicatoren",
    "year": "jaar",
    "years": "jaren",
    "title": "titel",
    "visibility": "zichtbaarheid",
    "kind": "soort",
    "themes": "themas",
    "organisation": "organisatie",
}

# The shapes above as OpenAPI schemas (apps.api.schema puts them in the schema's components).
ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: a readable message and a machine code.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the caller's language."},
        "code": {"type": "string", "description": "Machine code, e.g. not_found, not_authenticated, throttled."},
    },
    "required": ["detail", "code"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Refused input: the first problem in detail, every problem per field in fields.",
    "properties": {
        "detail": {"type": "string", "description": "The first problem, with its field."},
        "code": {"type": "string", "description": "invalid, or a more specific code."},
        "fields": {
            "type": "object",
            "description": "Per parameter or field (non_field_errors: the input as a whole), its messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "code"],
}


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _from_django_validation(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        fields = {API_FIELD_NAMES.get(name, name): [str(m) for e in errors for m in e.messages]
                  for name, errors in error.error_dict.items()}
        return exceptions.ValidationError(fields)
    return exceptions.ValidationError({"non_field_errors": error.messages})


def _validation_body(detail) -> dict:
    """One readable sentence on top (the first problem, with its field), every problem below."""
    if isinstance(detail, dict):
        fields = {name: _messages(value) for name, value in detail.items()}
    else:
        fields = {"non_field_errors": _messages(detail)}
    name, messages = next(iter(fields.items()), ("", [_("Invalid input.")]))
    first = messages[0] if messages else _("Invalid input.")
    summary = first if name in ("", "non_field_errors") else f"{name}: {first}"
    return {"detail": summary, "code": "invalid", "fields": fields}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        # Never say why: an item that does not exist and one the caller may not read look alike.
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real fault: Django's 500 handling and logging take over

    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response

    detail = getattr(exc, "detail", None)
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    response.data = {
        "detail": str(detail) if detail is not None else str(exc),
        "code": codes if isinstance(codes, str) else "error",
    }
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/v1/ that no endpoint has: a JSON 404 like the endpoints', never
    the portal's HTML page."""
    from django.http import JsonResponse

    response = JsonResponse({"detail": str(exceptions.NotFound.default_detail), "code": "not_found"}, status=404)
    response["Cache-Control"] = "no-store"
    return response
