"""The data layer pages and the values endpoint: the whole path (upload → preview → confirm →
map and table → values JSON), and who may do what. Every view is tried as an anonymous visitor,
a member of another gemeente and a member without the editor role."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from apps.datalayers import selectors
from apps.datalayers.models import DataLayer, LayerValue
from apps.releases.models import PublishedValue, Release
from tests.datalayers.helpers import (
    BAARN_BUURTEN, DISTINCTIVE, active_layer, csv_file, good_csv, upload, xlsx_file,
)
from tests.factories import login_with_two_factors
from tests.organisations.conftest import amsterdam, baarn, make_member, make_user, people  # noqa: F401

pytestmark = pytest.mark.usefixtures("geo")

COVERED_URL_NAMES = {
    "datalayers:layers", "datalayers:layer-upload", "datalayers:layer", "datalayers:layer-confirm",
    "datalayers:layer-share", "datalayers:layer-delete", "datalayers:layer-values",
}
INDICATOR = "hennepkwekerijen_per_1000_woningen"
LOGIN = reverse("two_factor:login")


def _client_for(client, user):
    client.force_login(user)
    return client


def _form(**extra):
    return {"title": "Sluitingen 13b", "description": "Bestuurlijke sluitingen", "unit": "sluitingen",
            "source": "Eigen registratie", "level": "buurt", **extra}


def test_upload_preview_confirm_and_values(client, baarn, people):  # noqa: F811
    client = _client_for(client, people["editor"])
    page = client.get(reverse("datalayers:layer-upload"))
    assert page.status_code == 200
    assert b"gebiedscode" in page.content and b"enctype=\"multipart/form-data\"" in page.content
    # One organisation: the page sends it along hidden, as a browser posts it.
    hidden = re.search(r'<input type="hidden" name="organisation" value="(\d+)"', page.content.decode())
    assert hidden and int(hidden.group(1)) == baarn.pk
    response = client.post(reverse("datalayers:layer-upload"),
                           _form(organisation=hidden.group(1), file=csv_file(good_csv())))
    layer = DataLayer.objects.get()
    assert response.status_code == 302 and response.url == reverse("datalayers:layer", args=[layer.pk])
    preview = client.get(response.url)
    assert preview.status_code == 200 and layer.status == "preview"
    assert b"BU03080000" in preview.content and b"987.654" in preview.content  # English number format
    assert client.get(reverse("datalayers:layer-values", args=[layer.pk]) + "?jaar=2024").status_code == 404

    assert client.post(reverse("datalayers:layer-confirm", args=[layer.pk])).status_code == 302
    layer.refresh_from_db()
    assert layer.status == "active"
    values = client.get(reverse("datalayers:layer-values", args=[layer.pk]) + "?jaar=2024")
    assert values.status_code == 200
    assert values["Cache-Control"] == "private, no-store"
    body = values.json()["values"]
    assert set(body) == set(BAARN_BUURTEN) and body["BU03080000"] == pytest.approx(DISTINCTIVE)
    assert client.get(reverse("datalayers:layer-values", args=[layer.pk]) + "?jaar=nu").status_code == 400


def test_an_xlsx_upload_through_the_page(client, baarn, people):  # noqa: F811
    client = login_with_two_factors(client, people["admin"])  # an organisation admin needs two factors
    rows = [["buurtcode", "jaar", "waarde"]] + [[code, 2024, 1.25] for code in BAARN_BUURTEN]
    response = client.post(reverse("datalayers:layer-upload"),
                           _form(organisation=baarn.pk, file=xlsx_file(rows)))
    assert response.status_code == 302
    layer = DataLayer.objects.get()
    assert layer.status == "preview" and layer.file_name == "controles.xlsx"
    assert LayerValue.objects.filter(layer=layer).count() == 4


def test_a_bad_file_shows_every_error_with_row_and_column_paginated(client, baarn, people):  # noqa: F811
    client = _client_for(client, people["editor"])
    lines = ["gebiedscode;jaar;waarde"] + [f"BU03080000;{1960 + i};x{i}" for i in range(60)]
    response = client.post(reverse("datalayers:layer-upload"),
                           _form(organisation=baarn.pk, file=csv_file("\n".join(lines) + "\n", "slecht.csv")))
    layer = DataLayer.objects.get()
    assert layer.status == "rejected" and len(layer.problems) == 60
    assert LayerValue.objects.count() == 0
    first = client.get(response.url)
    content = first.content.decode()
    assert "60 errors" in content or "60 fouten" in content
    assert "slecht.csv" in content and "&#x27;x0&#x27; is not a number" in content and "waarde" in content
    assert "&#x27;x55&#x27;" not in content  # on the second page
    second = client.get(response.url + "?pagina=2").content.decode()
    assert "&#x27;x55&#x27; is not a number" in second and "<td class=\"num\">56</td>" in second


def test_the_form_names_its_errors(client, baarn, people):  # noqa: F811
    client = _client_for(client, people["editor"])
    response = client.post(reverse("datalayers:layer-upload"), {"organisation": baarn.pk, "level": "buurt"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert 'aria-describedby="id_title_error"' in content and 'aria-invalid="true"' in content
    assert not DataLayer.objects.exists()


def test_the_active_layer_page_has_a_map_a_legend_and_a_table_with_published_values(client, baarn, people):  # noqa: F811
    layer = active_layer(people["editor"], baarn)
    release = Release.objects.create(number=1, status=Release.Status.PUBLISHED, is_current=True)
    for code, value, status in (("NL00", 5.0, "V"), ("BU03080001", 12.3, "V"), ("BU03080000", None, "A")):
        PublishedValue.objects.create(release=release, indicator=INDICATOR, area_code=code, year=2024, vintage=2024,
                                      value=value, status=status)
    client = _client_for(client, people["member"])
    page = client.get(reverse("datalayers:layer", args=[layer.pk]) + f"?jaar=2024&indicator={INDICATOR}")
    assert page.status_code == 200
    content = page.content.decode()
    config = page.context["map_config"]["layers"][0]
    assert config["values"] == reverse("datalayers:layer-values", args=[layer.pk]) + "?jaar=2024"
    assert config["plainValues"] is True and config["link"] == "#area-{code}"
    assert config["url"].endswith(".geojson")
    assert 'id="area-map-config"' in content and 'id="map-legend"' in content
    rows = {row.code: row for row in page.context["rows"]}
    assert len(rows) == 21  # every buurt of Baarn, with or without a value
    assert rows["BU03080001"].indicator_text in ("12,3", "12.3")
    assert rows["BU03080000"].indicator_withheld and rows["BU03080000"].indicator_text in ("geheim", "secret")
    assert rows["BU03080000"].value == pytest.approx(DISTINCTIVE)
    assert rows["BU03080200"].value is None and rows["BU03080200"].map_class is None
    legend = page.context["legend"]
    assert legend[-1]["kind"] == "missing" and legend[-1]["count"] == 17
    assert sum(item["count"] for item in legend if item["kind"] == "class") == 4
    assert 'id="area-BU03080001"' in content


def _layers(baarn, people):  # noqa: F811
    preview = upload(people["editor"], baarn, csv_file(good_csv()), title="Nog niet bevestigd")
    private = active_layer(people["editor"], baarn)
    shared = active_layer(people["editor"], baarn, shared=True)
    return preview, private, shared


def _urls(layer):
    return {
        "datalayers:layer": reverse("datalayers:layer", args=[layer.pk]),
        "datalayers:layer-confirm": reverse("datalayers:layer-confirm", args=[layer.pk]),
        "datalayers:layer-share": reverse("datalayers:layer-share", args=[layer.pk]),
        "datalayers:layer-delete": reverse("datalayers:layer-delete", args=[layer.pk]),
        "datalayers:layer-values": reverse("datalayers:layer-values", args=[layer.pk]) + "?jaar=2024",
    }


POSTS = {"datalayers:layer-confirm", "datalayers:layer-share", "datalayers:layer-delete"}


def test_anonymous_visitors_are_sent_to_log_in(client, baarn, people):  # noqa: F811
    _preview, private, _shared = _layers(baarn, people)
    for name in ("datalayers:layers", "datalayers:layer-upload"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(LOGIN), name
    for name, url in _urls(private).items():
        response = client.post(url) if name in POSTS else client.get(url)
        if name == "datalayers:layer-values":
            assert response.status_code == 401 and response["Cache-Control"] == "private, no-store"
        else:
            assert response.status_code == 302 and response.url.startswith(LOGIN), name
    assert DataLayer.objects.get(pk=private.pk).status == "active"


def test_a_member_of_another_gemeente_gets_404_except_for_a_shared_layer(client, baarn, amsterdam, people):  # noqa: F811
    preview, private, shared = _layers(baarn, people)
    outsider = make_member(amsterdam, "editor")
    client = _client_for(client, outsider)
    for layer in (preview, private):
        for name, url in _urls(layer).items():
            response = client.post(url, {"figures_may_be_shared": "on", "confirm": "on"}) if name in POSTS else client.get(url)
            assert response.status_code == 404, (layer.title, name)
    listing = client.get(reverse("datalayers:layers")).content.decode()
    assert f'href="{reverse("datalayers:layer", args=[private.pk])}"' not in listing
    assert f'href="{reverse("datalayers:layer", args=[shared.pk])}"' in listing
    # The shared layer is read, but it is not theirs to change.
    assert client.get(_urls(shared)["datalayers:layer"]).status_code == 200
    values = client.get(_urls(shared)["datalayers:layer-values"])
    assert values.status_code == 200 and values.json()["values"]["BU03080000"] == pytest.approx(DISTINCTIVE)
    for name in POSTS:
        assert client.post(_urls(shared)[name], {"figures_may_be_shared": "on", "confirm": "on"}).status_code == 403, name
    # Their own upload page is open to them, for their own gemeente only.
    form = client.get(reverse("datalayers:layer-upload")).context["form"]
    assert list(form.fields["organisation"].queryset) == [amsterdam]
    response = client.post(reverse("datalayers:layer-upload"), _form(organisation=baarn.pk, file=csv_file(good_csv())))
    assert response.status_code == 200 and DataLayer.objects.filter(organisation=baarn).count() == 3
    assert DataLayer.objects.filter(pk__in=[private.pk, shared.pk, preview.pk]).count() == 3
    assert DataLayer.objects.get(pk=shared.pk).is_shared


def test_a_member_without_the_editor_role_reads_but_cannot_write(client, baarn, people):  # noqa: F811
    preview, private, shared = _layers(baarn, people)
    client = _client_for(client, people["member"])
    listing = client.get(reverse("datalayers:layers"))
    assert listing.status_code == 200
    assert set(listing.context["own_layers"]) == {shared, private}  # not the preview
    assert client.get(reverse("datalayers:layer-upload")).status_code == 403
    assert client.post(reverse("datalayers:layer-upload"), _form(organisation=baarn.pk, file=csv_file(good_csv()))).status_code == 403
    # A preview is for the editors only.
    assert client.get(_urls(preview)["datalayers:layer"]).status_code == 404
    assert client.get(_urls(private)["datalayers:layer"]).status_code == 200
    assert client.get(_urls(private)["datalayers:layer-values"]).status_code == 200
    for name in POSTS:
        assert client.post(_urls(private)[name], {"figures_may_be_shared": "on", "confirm": "on"}).status_code == 403, name
    assert DataLayer.objects.get(pk=private.pk).visibility == "organisation"
    # A user of no organisation sees nothing, not even shared layers.
    stranger = make_user()
    assert selectors.layers(stranger).count() == 0 and selectors.layers(AnonymousUser()).count() == 0


def test_sharing_asks_for_the_statement_and_delete_for_confirmation(client, baarn, people):  # noqa: F811
    layer = active_layer(people["editor"], baarn)
    client = _client_for(client, people["editor"])
    urls = _urls(layer)
    page = client.get(urls["datalayers:layer"]).content.decode()
    assert 'name="figures_may_be_shared"' in page and 'for="id_figures_may_be_shared"' in page
    client.post(urls["datalayers:layer-share"])
    assert not DataLayer.objects.get(pk=layer.pk).is_shared
    client.post(urls["datalayers:layer-share"], {"figures_may_be_shared": "on"})
    assert DataLayer.objects.get(pk=layer.pk).is_shared
    client.post(urls["datalayers:layer-share"])  # taking it back needs no statement
    assert not DataLayer.objects.get(pk=layer.pk).is_shared
    assert client.get(urls["datalayers:layer-share"]).status_code == 405
    client.post(urls["datalayers:layer-delete"])
    assert DataLayer.objects.filter(pk=layer.pk).exists()
    response = client.post(urls["datalayers:layer-delete"], {"confirm": "on"})
    assert response.status_code == 302 and not DataLayer.objects.filter(pk=layer.pk).exists()
    assert LayerValue.objects.count() == 0


def test_the_dashboard_include_lists_own_and_shared_layers(baarn, amsterdam, people):  # noqa: F811
    from django.template.loader import render_to_string

    own = active_layer(people["editor"], baarn)
    outsider = make_member(amsterdam, "member")
    shared = active_layer(people["editor"], baarn, shared=True)
    html = render_to_string("datalayers/includes/layer_list.html",
                            {"layers": selectors.workspace_layers(outsider, amsterdam), "organisation": amsterdam})
    assert reverse("datalayers:layer", args=[shared.pk]) in html
    assert reverse("datalayers:layer", args=[own.pk]) not in html


def test_site_administrators_see_layers_in_the_admin_read_only(admin_client, client, baarn, people):  # noqa: F811
    layer = active_layer(people["editor"], baarn)
    listing = admin_client.get(reverse("admin:datalayers_datalayer_changelist"))
    assert listing.status_code == 200 and "Sluitingen 13b" in listing.content.decode()
    assert admin_client.get(reverse("admin:datalayers_datalayer_add")).status_code == 403
    change = admin_client.post(reverse("admin:datalayers_datalayer_change", args=[layer.pk]), {"title": "Anders"})
    assert change.status_code == 403
    assert admin_client.post(reverse("admin:datalayers_datalayer_delete", args=[layer.pk]), {"post": "yes"}).status_code == 403
    assert DataLayer.objects.get(pk=layer.pk).title == "Sluitingen 13b"


def test_beside_a_layer_the_indicator_with_most_published_values_is_chosen_by_default(client, baarn, people):  # noqa: F811
    layer = active_layer(people["editor"], baarn)
    release = Release.objects.create(number=1, status=Release.Status.PUBLISHED, is_current=True)
    withheld, published = "huishoudens", "inwoners"  # households come first by name, in both languages
    for indicator, value, status in ((withheld, None, "A"), (published, 1200.0, "V")):
        for code in ("NL00", "BU03080000", "BU03080001", "BU03080002"):
            PublishedValue.objects.create(release=release, indicator=indicator, area_code=code, year=2024,
                                          vintage=2024, value=value if code != "NL00" else 5.0, status=status)
    page = _client_for(client, people["member"]).get(reverse("datalayers:layer", args=[layer.pk]) + "?jaar=2024")
    assert page.context["indicator"] == published
    rows = {row.code: row for row in page.context["rows"]}
    assert not rows["BU03080001"].indicator_withheld
