"""The API, version 1. The workspace endpoints (login: session or token) live under
/api/v1/werkruimte/; the open data endpoints come with issue 7."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

workspace = DefaultRouter(trailing_slash=True)
workspace.include_root_view = False

urlpatterns = [
    path("werkruimte/", include(workspace.urls)),
]
