"""Own data layers in the API: read-only, confirmed layers only, and only what the caller may read
(their organisation's, and layers another gemeente shared on purpose)."""

import pytest
from django.urls import reverse

from apps.datalayers import services as layers
from apps.organisations.models import Role
from tests.datalayers.helpers import DISTINCTIVE, active_layer, csv_file, good_csv, upload
from tests.organisations.conftest import amsterdam, baarn, make_member  # noqa: F401

COVERED_URL_NAMES = {"api:layer-list", "api:layer-detail", "api:layer-values"}


@pytest.fixture
def baarn_layers(geo, baarn):  # noqa: F811
    editor = make_member(baarn, Role.EDITOR)
    own = active_layer(editor, baarn)
    shared = active_layer(editor, baarn, level="wijk")
    layers.set_shared(user=editor, layer=shared, shared=True, figures_may_be_shared=True)
    preview = upload(editor, baarn, csv_file(good_csv()), title="Nog niet bevestigd")
    return {"editor": editor, "own": own, "shared": shared, "preview": preview}


def _urls(layer) -> list[str]:
    return [reverse("api:layer-detail", args=[layer.pk]), reverse("api:layer-values", args=[layer.pk])]


def test_anonymous_callers_get_401(api, baarn_layers):
    client = api()
    for url in [reverse("api:layer-list"), *_urls(baarn_layers["own"])]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"


def test_a_member_reads_the_organisations_layers_and_their_values(api, baarn, baarn_layers):  # noqa: F811
    client = api(make_member(baarn, Role.MEMBER))
    listed = client.get(reverse("api:layer-list")).json()["results"]
    assert {row["id"] for row in listed} == {baarn_layers["own"].pk, baarn_layers["shared"].pk}  # no preview
    detail = client.get(reverse("api:layer-detail", args=[baarn_layers["own"].pk])).json()
    assert detail["organisatie"] == "baarn" and detail["niveau"] == "buurt" and detail["jaren"] == [2023, 2024]
    values = client.get(reverse("api:layer-values", args=[baarn_layers["own"].pk]) + "?jaar=2024").json()
    assert {row["jaar"] for row in values["results"]} == {2024}
    assert DISTINCTIVE in {row["waarde"] for row in values["results"]}
    response = client.get(reverse("api:layer-values", args=[baarn_layers["own"].pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["count"] == baarn_layers["own"].values.count()


def test_a_bad_year_is_a_400_that_names_it(api, baarn, baarn_layers):  # noqa: F811
    client = api(make_member(baarn, Role.MEMBER))
    response = client.get(reverse("api:layer-values", args=[baarn_layers["own"].pk]) + "?jaar=twintig")
    assert response.status_code == 400
    assert "jaar" in response.json()["fields"]


def test_another_gemeente_reads_only_the_shared_layer(api, amsterdam, baarn_layers):  # noqa: F811
    client = api(make_member(amsterdam, Role.EDITOR))
    listed = client.get(reverse("api:layer-list")).json()["results"]
    assert [row["id"] for row in listed] == [baarn_layers["shared"].pk]
    for url in _urls(baarn_layers["own"]) + _urls(baarn_layers["preview"]):
        assert client.get(url).status_code == 404, url
    for url in _urls(baarn_layers["shared"]):
        assert client.get(url).status_code == 200, url


def test_layers_are_read_only_even_for_editors_and_previews_stay_out(api, baarn_layers):
    client = api(baarn_layers["editor"])
    layer = baarn_layers["own"]
    assert client.post(reverse("api:layer-list"), {"titel": "x"}, format="json").status_code == 405
    assert client.delete(reverse("api:layer-detail", args=[layer.pk])).status_code == 405
    assert client.get(reverse("api:layer-detail", args=[baarn_layers["preview"].pk])).status_code == 404
    layer.refresh_from_db()
    assert layer.status == "active"
