"""The API, version 1: open data (published figures, anyone; apps/api/public/) and the
workspace endpoints under /api/v1/werkruimte/ (login: session or token).

URL names (namespace ``api``): ``organisation-list``/``-detail``, ``note-list``/``-detail``,
``comparison-list``/``-detail``, ``knowledge-list``/``-detail``, ``knowledge-comments``, ``api-key``;
the contract: ``schema`` (OpenAPI 3, YAML or JSON) and ``docs`` (Swagger UI).
"""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from . import errors, schema, views

app_name = "api"

workspace = DefaultRouter(trailing_slash=True)
workspace.include_root_view = False
workspace.include_format_suffixes = False
workspace.register("organisaties", views.OrganisationViewSet, basename="organisation")
workspace.register("notities", views.NoteViewSet, basename="note")
workspace.register("vergelijkingen", views.ComparisonViewSet, basename="comparison")
workspace.register("kennis", views.KnowledgeViewSet, basename="knowledge")
workspace.register("lagen", views.LayerViewSet, basename="layer")

urlpatterns = [
    path("werkruimte/sleutel/", views.ApiKeyView.as_view(), name="api-key"),
    path("werkruimte/", include(workspace.urls)),
    path("schema/", schema.SchemaView.as_view(), name="schema"),
    path("docs/", schema.ApiDocsView.as_view(), name="docs"),
    path("", include("apps.api.public.urls")),
    # Last: whatever no endpoint matched gets a JSON 404.
    re_path(r"^", errors.not_found),
]
