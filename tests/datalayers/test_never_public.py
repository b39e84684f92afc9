"""A layer never enters a public release: after a release is built and published with an
active, shared layer in the database, the layer's distinctive figure appears on no public page
or values file of its gemeente, for visitors and for the layer's own editor alike."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.releases.models import PublishedValue
from tests.browser.release import build_published_release
from tests.datalayers.helpers import BAARN_BUURTEN, active_layer
from tests.organisations.conftest import amsterdam, baarn, people  # noqa: F401

pytestmark = pytest.mark.usefixtures("geo")

COVERED_URL_NAMES: set[str] = set()  # access is tested in test_views.py; this file tests public output
INDICATOR = "hennepkwekerijen_per_1000_woningen"
# The figure 987.654 as any page could write it.
TRACES = ("987.654", "987,654", "987,65", "987.65", "987654")


def _public_urls(release):
    urls = [
        reverse("dashboards:area", args=["gemeente", "GM0308"]),
        reverse("dashboards:area", args=["buurt", BAARN_BUURTEN[0]]),
        reverse("dashboards:area", args=["wijk", "WK030800"]),
        reverse("dashboards:indicator-area", args=[INDICATOR, "GM0308"]) + "?niveau=buurt&jaar=2024",
        reverse("dashboards:indicator-area", args=[INDICATOR, "GM0308"]) + "?niveau=wijk&jaar=2024",
    ]
    for level in ("buurt", "wijk"):
        urls.append(reverse("releases:map_values", args=[release.number, INDICATOR, level, 2024]) + "?binnen=GM0308")
    return urls


def test_a_layer_never_reaches_public_output(baarn, people):  # noqa: F811
    buurt_layer = active_layer(people["editor"], baarn, shared=True)
    wijk_layer = active_layer(people["editor"], baarn, shared=True, level="wijk")
    release = build_published_release()
    assert not PublishedValue.objects.filter(value__gt=987.6, value__lt=987.7).exists()
    editor = Client()
    editor.force_login(people["editor"])
    for client in (Client(), editor):
        for url in _public_urls(release):
            response = client.get(url)
            assert response.status_code == 200, url
            content = response.content.decode()
            assert not any(trace in content for trace in TRACES), url
    # The figure is there to find: the editor's own layer page shows it.
    page = editor.get(reverse("datalayers:layer", args=[buurt_layer.pk]) + "?jaar=2024").content.decode()
    assert any(trace in page for trace in TRACES)
    assert wijk_layer.values.filter(value=987.654).exists()
