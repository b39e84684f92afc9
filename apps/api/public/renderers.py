"""Renderers and the choice between them: JSON by default, CSV with ``?formaat=csv`` or
``Accept: text/csv`` (settings have no ``?format=``: the API speaks Dutch), GeoJSON for
boundaries."""

from django.utils.translation import gettext as _
from rest_framework import renderers, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework_csv.renderers import CSVRenderer

FORMAT_PARAMETER = "formaat"


class UTF8CSVRenderer(CSVRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class GeoJSONRenderer(renderers.JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class FormatParameterNegotiation(DefaultContentNegotiation):
    """``?formaat=`` first (json or csv, where the view offers it), else the Accept header."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get(FORMAT_PARAMETER, "").strip().lower()
        if wanted:
            for renderer in renderers:
                if renderer.format == wanted:
                    return renderer, renderer.media_type
            offered = ", ".join(renderer.format for renderer in renderers)
            raise serializers.ValidationError({FORMAT_PARAMETER: [
                _("Unknown format %(format)s; this endpoint offers: %(offered)s.") % {"format": wanted, "offered": offered}
            ]})
        return super().select_renderer(request, renderers, None)
