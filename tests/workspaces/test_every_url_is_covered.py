"""Every workspace view and endpoint has its access control tested.

Each test module of the workspace apps names, in ``COVERED_URL_NAMES``, the URLs whose access it
tries as an anonymous visitor, as a member of another gemeente and as a member without the right
role. A new workspace URL that no module names fails here, so it cannot ship untested."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

WORKSPACE_NAMESPACES = ("workspaces", "organisations", "datalayers", "api")
TEST_PACKAGES = ("workspaces", "organisations", "datalayers", "api", "dashboards")
# The API's workspace part; the rest of the API is open data (issue 7), tested on its own.
API_WORKSPACE_ROUTE = "api/v1/werkruimte/"


def _names(patterns, namespace: str = "", route: str = "") -> set[tuple[str, str]]:
    """(namespaced name, full route) of every named URL below ``patterns``."""
    found = set()
    for pattern in patterns:
        full = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (pattern.namespace or namespace)
            found |= _names(pattern.url_patterns, inner, full)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace:
            found.add((f"{namespace}:{pattern.name}", full))
    return found


def workspace_url_names() -> set[str]:
    return {
        name for name, route in _names(get_resolver().url_patterns)
        if name.split(":")[0] in WORKSPACE_NAMESPACES
        and (not name.startswith("api:") or route.lstrip("^").startswith(API_WORKSPACE_ROUTE))
    }


def covered_url_names() -> set[str]:
    covered = set()
    for package in TEST_PACKAGES:
        module = importlib.import_module(f"tests.{package}")
        for info in pkgutil.iter_modules(module.__path__):
            if info.name.startswith("test_"):
                covered |= set(getattr(importlib.import_module(f"tests.{package}.{info.name}"), "COVERED_URL_NAMES", ()))
    return covered


def test_the_workspace_has_urls_at_all():
    names = workspace_url_names()
    assert {"workspaces:home", "organisations:members", "datalayers:layers"} <= names


# ``db``: importing every test module may load the API schema (tests/api/test_schema.py builds
# it at import), which reads the database.
def test_every_workspace_url_has_its_access_control_tested(db):
    missing = workspace_url_names() - covered_url_names()
    assert not missing, f"no access-control test names these URLs: {sorted(missing)}"


def test_the_covered_names_are_real_urls(db):
    unknown = covered_url_names() - workspace_url_names()
    assert not unknown, f"COVERED_URL_NAMES lists URLs that do not exist: {sorted(unknown)}"

