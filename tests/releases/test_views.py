"""The values file a map joins by code: only published releases, only published values."""

import pytest
from django.urls import reverse

from apps.releases import services
from tests.releases.helpers import build

pytestmark = pytest.mark.usefixtures("db")

CELLS = [
    ("inwoners", "GM0308", 2024, 25065.0, "V"),
    ("inwoners", "GM0307", 2024, None, "S"),
    ("inwoners", "BU03080000", 2024, 1825.0, "V"),
]


def url(number, indicator="inwoners", level="gemeente", year=2024):
    return reverse("releases:map_values", args=[number, indicator, level, year])


def test_a_published_release_serves_its_values_by_code_and_caches_them_for_good(client):
    release = build(CELLS)
    assert client.get(url(release.number)).status_code == 404  # not published yet
    services.publish(release)

    response = client.get(url(release.number))

    assert response.status_code == 200
    body = response.json()
    # The only gemeente with a value ranks 100; the secret one has no value and no rank.
    assert body["values"] == {"GM0307": [None, "S", None, ""], "GM0308": [25065.0, "V", 100.0, ""]}
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]


@pytest.mark.parametrize(
    "args",
    [(99, "inwoners", "gemeente", 2024), (1, "bestaat_niet", "gemeente", 2024), (1, "inwoners", "straat", 2024)],
)
def test_unknown_release_indicator_or_level_is_404(client, args):
    services.publish(build(CELLS))
    assert client.get(url(*args)).status_code == 404


def test_a_malformed_area_filter_is_404(client):
    release = build(CELLS)
    services.publish(release)
    assert client.get(url(release.number), {"binnen": "x' OR 1=1"}).status_code == 404
