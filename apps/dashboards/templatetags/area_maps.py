"""The map's start options, for static/js/area-map.js.

django-leaflet's ``{% leaflet_map %}`` writes an inline ``<script>`` that needs the request's CSP
nonce, and the map include sits in fragments cached per release: a cached nonce is wrong for
every later visitor, whose browser then blocks the script. So the page carries only data (the
options that tag builds from settings.LEAFLET_CONFIG, through ``json_script``) and the static
script starts the map.
"""

import json

from django import template
from leaflet.templatetags import leaflet_tags

register = template.Library()


@register.simple_tag
def leaflet_options(name: str) -> dict:
    """What ``{% leaflet_map name %}`` would pass to ``L.Map.djangoMap``: tiles, attribution,
    extent, zoom and projection from LEAFLET_CONFIG, and the events to start on."""
    built = leaflet_tags.leaflet_map(name, creatediv=False)
    return {
        "djoptions": json.loads(built["djoptions"]),
        "loadevents": json.loads(built["loadevents"]),
        "globals": not built["NO_GLOBALS"],
    }
