from django.urls import re_path

from . import views

app_name = "geography"

urlpatterns = [
    re_path(
        r"^grenzen/(?P<file_name>[a-z]+-[A-Z0-9]+-\d{4}\.[0-9a-f]{12}\.geojson)$",
        views.web_boundary_file,
        name="web-boundary-file",
    ),
]
