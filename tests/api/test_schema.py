"""The API's contract: the OpenAPI schema at /api/v1/schema/, the docs at /api/v1/docs/, and
schemathesis over every operation of the schema, in process, against a published release.

schemathesis generates requests from the schema (valid and invalid parameters and bodies) and
checks each answer: never a 500, only documented status codes and content types, and bodies
that match the documented schema. Open data is called anonymously; the workspace with a
member's key (``Authorization: Token``), the key endpoint with the member's session.
"""

import re

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts import services as accounts
from apps.organisations.models import Role
from apps.workspaces import services as workspaces
from apps.workspaces.models import Visibility
from tests.datalayers.helpers import active_layer
from tests.organisations.conftest import amsterdam, baarn, make_member  # noqa: F401

SCHEMA_URL = "/api/v1/schema/"

# The contract between the API's parts (BRIEF-ISSUE7): every path the schema must describe.
OPEN_DATA_PATHS = {
    "/api/v1/releases/", "/api/v1/releases/{}/", "/api/v1/themas/", "/api/v1/indicatoren/",
    "/api/v1/indicatoren/{}/", "/api/v1/gebieden/", "/api/v1/gebieden/{}/", "/api/v1/gebieden/{}/grens/",
    "/api/v1/grenzen/", "/api/v1/waarden/", "/api/v1/zoekgebieden/",
}
WORKSPACE_PATHS = {
    "/api/v1/werkruimte/organisaties/", "/api/v1/werkruimte/organisaties/{}/",
    "/api/v1/werkruimte/notities/", "/api/v1/werkruimte/notities/{}/",
    "/api/v1/werkruimte/vergelijkingen/", "/api/v1/werkruimte/vergelijkingen/{}/",
    "/api/v1/werkruimte/kennis/", "/api/v1/werkruimte/kennis/{}/", "/api/v1/werkruimte/kennis/{}/reacties/",
    "/api/v1/werkruimte/lagen/", "/api/v1/werkruimte/lagen/{}/", "/api/v1/werkruimte/lagen/{}/waarden/",
    "/api/v1/werkruimte/sleutel/",
}


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _schema(client, **params) -> dict:
    response = client.get(SCHEMA_URL, {"format": "json", **params})
    assert response.status_code == 200
    return response.json()


# ---------------------------------------------------------------- the schema and the docs


def test_the_schema_answers_in_json_and_yaml(db):
    client = APIClient()
    as_json = client.get(SCHEMA_URL, {"format": "json"})
    assert as_json.status_code == 200
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert as_json.json()["openapi"].startswith("3.0")
    as_yaml = client.get(SCHEMA_URL, {"format": "yaml"})
    assert as_yaml.status_code == 200
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert as_yaml.content.startswith(b"openapi: 3.0")
    # Without ?format= the Accept header decides.
    assert client.get(SCHEMA_URL, HTTP_ACCEPT="application/json").json()["info"]["title"] == "Zicht API"


def test_the_schema_is_a_valid_openapi_3_document(db):
    schema = _schema(APIClient())
    validate_schema(schema)  # drf-spectacular's check against the OpenAPI 3.0 meta-schema
    assert schema["info"]["license"]["name"] == "CC BY 4.0"
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_the_schema_describes_every_open_data_and_workspace_path(db):
    paths = {_shape(path) for path in _schema(APIClient())["paths"]}
    assert not OPEN_DATA_PATHS - paths, f"open data paths missing: {sorted(OPEN_DATA_PATHS - paths)}"
    assert not WORKSPACE_PATHS - paths, f"workspace paths missing: {sorted(WORKSPACE_PATHS - paths)}"
    assert SCHEMA_URL not in paths  # the schema does not describe itself


def test_every_operation_documents_its_errors_in_the_error_shape(db):
    schema = _schema(APIClient())
    components = schema["components"]["schemas"]
    assert components["Fout"]["required"] == ["detail", "code"]
    assert "fields" in components["Invoerfout"]["properties"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            if path.startswith("/api/v1/werkruimte/"):
                assert {"401", "403"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)


def test_the_workspace_filters_are_documented_as_query_parameters(db):
    schema = _schema(APIClient())

    def query(path):
        return {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}

    assert {"gebied", "indicator", "jaar", "page", "page_size"} <= query("/api/v1/werkruimte/notities/")
    assert {"thema", "soort"} <= query("/api/v1/werkruimte/kennis/")
    assert "jaar" in query("/api/v1/werkruimte/lagen/{id}/waarden/")
    key = schema["paths"]["/api/v1/werkruimte/sleutel/"]
    assert {"get", "post", "delete"} <= set(key)
    assert key["get"]["security"] == [{"cookieAuth": []}]  # a key cannot make keys


def test_the_docs_page_serves_swagger_ui_from_the_portal_under_its_csp(db):
    response = APIClient().get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "<title>API-documentatie · Zicht</title>" in html
    assert 'href="/"' in html  # back to the portal
    # Swagger UI comes from drf-spectacular-sidecar's static files, never a CDN.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in html
    assert "/static/js/api-docs.js" in html
    assert not re.search(r"(src|href)=\"https?://", html)
    assert 'data-schema-url="/api/v1/schema/"' in html
    # Content-Security-Policy: no inline script without the nonce, no inline style at all.
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or (nonce and f'nonce="{nonce.group(1)}"' in tag), tag
    assert "<style" not in html and " style=" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


# ---------------------------------------------------------------- schemathesis


@pytest.fixture(scope="module")
def _module_release(geo_2024, django_db_blocker):
    """A published release with suppressed cells (tests/dashboards/conftest.py builds it), once
    for this module and committed; each test runs in a transaction that is rolled back."""
    from tests.dashboards.conftest import _build_release, _remove_release_data

    with django_db_blocker.unblock():
        release = _build_release()
    yield release
    with django_db_blocker.unblock():
        _remove_release_data()


@pytest.fixture
def world(_module_release, geo, baarn, amsterdam):  # noqa: F811
    """A member of Baarn with a key and a session, and one workspace item of each kind, so the
    workspace endpoints answer with data; the ids the path parameters can take."""
    from tests.api.conftest import INDICATOR

    editor = make_member(baarn, Role.EDITOR)
    member = make_member(baarn, Role.MEMBER)
    note = workspaces.write_note(user=member, organisation=baarn, area_code="GM0308", indicator=INDICATOR,
                                 year=2024, body="**Notitie** met [link](https://example.nl)",
                                 visibility=Visibility.ORGANISATION)
    comparison = workspaces.save_comparison(user=member, organisation=baarn, title="Baarn en Amsterdam",
                                            area_codes=["GM0308", "GM0363"], indicators=[INDICATOR],
                                            years=[2023, 2024], release=_module_release,
                                            visibility=Visibility.ORGANISATION)
    knowledge = workspaces.share_knowledge(user=editor, organisation=baarn, kind="approach", title="Aanpak",
                                           body="Wat *werkte*.", themes=["vastgoed"], visibility=Visibility.SHARED)
    workspaces.comment(user=member, organisation=baarn, item=knowledge, body="Goed idee")
    layer = active_layer(editor, baarn)
    session = APIClient()
    session.force_login(member)
    CREDENTIALS.clear()
    CREDENTIALS.update(token=accounts.issue_api_key(member).key, session=session.cookies["sessionid"].value)
    return {
        "ids": {
            "/api/v1/werkruimte/notities/": note.pk,
            "/api/v1/werkruimte/vergelijkingen/": comparison.pk,
            "/api/v1/werkruimte/kennis/": knowledge.pk,
            "/api/v1/werkruimte/lagen/": layer.pk,
            "/api/v1/werkruimte/organisaties/": baarn.slug,
            "/api/v1/releases/": _module_release.number,
            "/api/v1/indicatoren/": INDICATOR,
            "/api/v1/gebieden/": "GM0308",
        },
    }


@pytest.fixture
def _no_throttling(monkeypatch):
    # Hundreds of calls a minute are the point here; throttling has tests of its own.
    from apps.api.throttling import FixedWindowMixin

    monkeypatch.setattr(FixedWindowMixin, "allow_request", lambda self, request, view: True)


@pytest.fixture
def _test_connection_stays_open():
    """Schemathesis calls the WSGI app directly, not through Django's test client, so Django's
    end-of-request hook would close the database connection: inside the test's transaction
    (autocommit off) it counts as unusable, and on PostgreSQL the next query fails. The test
    client unhooks it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Every default check but one: "schema-valid data must be accepted" cannot hold where validity
# depends on the database or the caller (an organisation the caller belongs to, an indicator
# that exists, a year with figures); those inputs get a documented 400 instead.
EXCLUDED_CHECKS = [positive_data_acceptance]
# For a request schemathesis did not generate (a generated one with an existing item's id).
RESPONSE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                   response_headers_conformance, response_schema_conformance]
# Query parameters the schema does not name are ignored (as most APIs do, so a cache-buster
# such as "?_=123" does no harm); schemathesis need not try them.
CONFIG = SchemathesisConfig.from_dict({"generation": {"allow-extra-parameters": False}})

api_schema = schemathesis.openapi.from_wsgi(f"{SCHEMA_URL}?format=json", get_wsgi_application(), config=CONFIG)


# The credentials of the current test's member (set by the ``world`` fixture).
CREDENTIALS: dict = {}


@api_schema.auth(refresh_interval=None)
class MemberAuth:
    """The member's key for the workspace, their session for the key endpoint (which takes no
    key), nothing for open data. Given as schemathesis auth, so its own auth checks (a wrong or
    missing key must be refused) know what was sent."""

    def get(self, case, context):
        return CREDENTIALS

    def set(self, case, data, context):
        if not data:
            return  # collecting, before any test set up a member
        path = context.operation.path
        if path.startswith("/api/v1/werkruimte/sleutel/"):
            case.cookies = {**(case.cookies or {}), "sessionid": data["session"]}
        elif path.startswith("/api/v1/werkruimte/"):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data['token']}"}


# Uncompressed answers: the portal gzips JSON for clients that ask, and the WSGI client would
# hand schemathesis the compressed bytes.
PLAIN = {"Accept-Encoding": "identity"}


def _existing(path: str, world) -> dict | None:
    """Path parameters that name an item that exists, for the path's collection."""
    collection = path.split("{", 1)[0]
    if collection in world["ids"]:
        return {re.search(r"\{([^}]+)\}", path).group(1): world["ids"][collection]}
    return None


@api_schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_failure(case, world, _no_throttling, _test_connection_stays_open):
    """Generated requests (and the same with a path naming an item that exists) never crash an
    endpoint and get answers the schema documents."""
    case.call_and_validate(headers=PLAIN, excluded_checks=EXCLUDED_CHECKS)
    existing = _existing(case.path, world) if case.path_parameters else None
    if existing:
        case.path_parameters = {**case.path_parameters, **existing}
        case.call_and_validate(headers=PLAIN, checks=RESPONSE_CHECKS)
