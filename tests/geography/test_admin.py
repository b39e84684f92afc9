"""The admin shows the geography but never changes it: boundaries change only by import."""

import pytest
from django.urls import reverse

from apps.geography.models import Area, BoundaryImport, WebBoundaryFile
from tests.factories import login_with_two_factors, VINTAGE, make_superuser


@pytest.fixture
def admin_client(client, geo):
    return login_with_two_factors(client, make_superuser())


def change_url(area: Area) -> str:
    return reverse("admin:geography_area_change", args=[area.pk])


def test_area_changelist_opens_and_searches(admin_client):
    response = admin_client.get(reverse("admin:geography_area_changelist"))
    assert response.status_code == 200
    response = admin_client.get(reverse("admin:geography_area_changelist"), {"q": "BU0363AD03"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("code", flat=True)) == ["BU0363AD03"]
    assert "Nieuwendijk-Noord" in response.content.decode()


def test_area_changelist_filters_by_level(admin_client):
    response = admin_client.get(
        reverse("admin:geography_area_changelist"),
        {"level__exact": "provincie", "vintage__exact": VINTAGE},
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 12


def test_area_change_page_shows_the_area_without_save_buttons(admin_client):
    area = Area.objects.get(vintage=VINTAGE, code="BU03080000")
    response = admin_client.get(change_url(area))
    assert response.status_code == 200
    html = response.content.decode()
    assert "BU03080000" in html
    assert 'name="_save"' not in html
    assert 'name="_continue"' not in html
    assert 'name="_addanother"' not in html


def test_area_without_boundary_opens_too(admin_client):
    area = Area.objects.get(vintage=VINTAGE, code="BU0363AD03")
    assert admin_client.get(change_url(area)).status_code == 200


def test_posting_to_the_area_change_page_is_refused(admin_client):
    area = Area.objects.get(vintage=VINTAGE, code="WK030800")
    before = (area.name, area.geometry.wkt)
    response = admin_client.post(
        change_url(area),
        {
            "name": "Overschreven",
            "geometry": "SRID=4326;MULTIPOLYGON(((0 0,1 0,1 1,0 0)))",
            "_save": "1",
        },
    )
    assert response.status_code == 403
    area.refresh_from_db()
    assert (area.name, area.geometry.wkt) == before


def test_areas_cannot_be_added_or_deleted(admin_client):
    area = Area.objects.get(vintage=VINTAGE, code="WK030800")
    assert admin_client.get(reverse("admin:geography_area_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:geography_area_delete", args=[area.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Area.objects.filter(pk=area.pk).exists()


def test_import_records_and_web_files_are_listed(admin_client):
    response = admin_client.get(reverse("admin:geography_boundaryimport_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == BoundaryImport.objects.count() == 4
    record = BoundaryImport.objects.filter(level="wijk").get()
    assert (
        admin_client.get(
            reverse("admin:geography_boundaryimport_change", args=[record.pk])
        ).status_code
        == 200
    )
    assert (
        admin_client.post(
            reverse("admin:geography_boundaryimport_change", args=[record.pk]), {}
        ).status_code
        == 403
    )

    response = admin_client.get(reverse("admin:geography_webboundaryfile_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == WebBoundaryFile.objects.count()


def test_anonymous_visitors_are_sent_to_the_login(client, geo):
    response = client.get(reverse("admin:geography_area_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
