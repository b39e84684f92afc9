"""The stewards' admin: upload, preview with every error (paginated), confirm, follow progress."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.sources.models import ImportRun, Observation
from tests.sources.helpers import BAARN_CRIME, BUURT, csv_text, real

pytestmark = pytest.mark.usefixtures("geo")

UPLOAD = reverse("admin:sources_importrun_upload")


def run_url(run: ImportRun) -> str:
    return reverse("admin:sources_importrun_change", args=[run.pk])


def upload(client, name: str, content: bytes, **fields):
    return client.post(UPLOAD, {"files": SimpleUploadedFile(name, content, "text/csv"), **fields})


def crime_upload(client):
    path = real(BAARN_CRIME)
    return upload(client, path.name, path.read_bytes())


@pytest.fixture
def staff_client(client):
    """A staff member who may open the admin but holds no permission on import runs."""
    user = User.objects.create_user(username="medewerker", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_upload_page_opens_and_lists_the_kinds(admin_client):
    response = admin_client.get(UPLOAD)

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
    assert "politie_misdrijven" in response.content.decode()
    assert {kind.slug for kind in response.context["kinds"]} >= {"cbs_kwb", "kvk_vestigingen"}


def test_upload_redirects_to_the_run_page_with_its_preview(admin_client, admin_user):
    response = crime_upload(admin_client)

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run_url(run)
    assert (run.status, run.kind, run.created_by) == (ImportRun.Status.PREVIEW, "politie_misdrijven", admin_user)
    page = admin_client.get(run_url(run))
    assert page.status_code == 200
    html = page.content.decode()
    assert "geregistreerde_misdrijven_2021_2025.csv" in html
    assert page.context["files"][0]["added"] == 110
    assert re.search(r"<td>110</td>", html)  # rows read and rows that would be added
    assert page.context["can_confirm"] is True
    assert reverse("admin:sources_importrun_confirm", args=[run.pk]) in html
    assert not Observation.objects.exists()
    assert AuditEvent.objects.get(action="upload").actor == admin_user


def test_upload_of_a_bad_file_shows_every_error_on_pages_of_50(admin_client):
    header = ["registratie_id", "buurtcode", "datum", "soort", "synthetisch"]
    rows = [[f"G{i}", BUURT, "2024-13-01", "drugsafval", "nee"] for i in range(1, 121)]

    upload(admin_client, "registraties.csv", csv_text(header, rows).encode())

    run = ImportRun.objects.get()
    assert (run.status, run.error_count) == (ImportRun.Status.REJECTED, 120)
    first = admin_client.get(run_url(run))
    html = first.content.decode()
    assert len(first.context["problems"]) == 50
    assert html.count("<tr><td>registraties.csv</td>") == 50
    assert "<td>1</td><td>datum</td>" in html and "<td>50</td><td>datum</td>" in html
    assert "<td>51</td><td>datum</td>" not in html
    assert 'href="?page=2"' in html
    assert first.context["can_confirm"] is False  # a rejected run cannot be confirmed

    third = admin_client.get(run_url(run), {"page": 3})
    assert [p.row for p in third.context["problems"]] == list(range(101, 121))
    assert 'href="?page=2"' in third.content.decode() and 'href="?page=4"' not in third.content.decode()


def test_confirm_runs_the_pipeline_and_the_page_links_the_release(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    crime_upload(admin_client)
    run = ImportRun.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:sources_importrun_confirm", args=[run.pk]))

    assert response.status_code == 302 and response["Location"] == run_url(run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.confirmed_by == admin_user
    page = admin_client.get(run_url(run)).content.decode()
    assert reverse("admin:releases_release_change", args=[run.release.pk]) in page
    assert AuditEvent.objects.get(action="confirm").actor == admin_user
    assert Observation.objects.count() == 110


def test_progress_endpoint(admin_client, django_capture_on_commit_callbacks):
    crime_upload(admin_client)
    run = ImportRun.objects.get()
    url = reverse("admin:sources_importrun_progress", args=[run.pk])

    before = admin_client.get(url)
    assert before.status_code == 200 and before["Content-Type"] == "application/json"
    assert "no-store" in before["Cache-Control"]
    assert {k: before.json()[k] for k in ("status", "step", "percent", "release", "rows_total")} == {
        "status": "preview", "step": "", "percent": 0, "release": None, "rows_total": 110,
    }

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:sources_importrun_confirm", args=[run.pk]))

    after = admin_client.get(url).json()
    assert {k: after[k] for k in ("status", "step", "percent", "release", "finished", "rows_done")} == {
        "status": "succeeded", "step": "done", "percent": 100, "release": 1, "finished": True, "rows_done": 110,
    }


def test_cancel_from_the_admin(admin_client):
    crime_upload(admin_client)
    run = ImportRun.objects.get()

    response = admin_client.post(reverse("admin:sources_importrun_cancel", args=[run.pk]))

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED


def test_confirming_a_rejected_run_changes_nothing(admin_client, django_capture_on_commit_callbacks):
    upload(admin_client, "m.csv", b"regiocode,niveau,jaar,geregistreerde_misdrijven_totaal\nGM0308,gemeente,2024,-1\n")
    run = ImportRun.objects.get()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(reverse("admin:sources_importrun_confirm", args=[run.pk]))

    assert response.status_code == 302 and callbacks == []
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REJECTED


@pytest.mark.parametrize("name", ["confirm", "cancel"])
def test_get_on_an_action_is_not_allowed(admin_client, name):
    crime_upload(admin_client)
    run = ImportRun.objects.get()

    response = admin_client.get(reverse(f"admin:sources_importrun_{name}", args=[run.pk]))

    assert response.status_code == 405
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW


def test_staff_without_permissions_is_refused(staff_client, admin_client, django_capture_on_commit_callbacks):
    crime_upload(admin_client)
    run = ImportRun.objects.get()

    assert staff_client.get(UPLOAD).status_code == 403
    path = real(BAARN_CRIME)
    assert upload(staff_client, "again.csv", path.read_bytes()).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(reverse("admin:sources_importrun_confirm", args=[run.pk])).status_code == 403
    assert staff_client.post(reverse("admin:sources_importrun_cancel", args=[run.pk])).status_code == 403
    assert staff_client.get(run_url(run)).status_code == 403
    assert staff_client.get(reverse("admin:sources_importrun_progress", args=[run.pk])).status_code == 403

    assert ImportRun.objects.count() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW
    assert not AuditEvent.objects.filter(action__in=["confirm", "cancel"]).exists()


def test_a_steward_with_the_upload_permission_may_upload_and_confirm(client, django_capture_on_commit_callbacks):
    steward = User.objects.create_user(username="beheerder", password="x", is_staff=True)
    steward.user_permissions.add(
        Permission.objects.get(codename="add_importrun"), Permission.objects.get(codename="view_importrun")
    )
    client.force_login(steward)

    assert crime_upload(client).status_code == 302
    run = ImportRun.objects.get()
    assert client.get(run_url(run)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:sources_importrun_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.confirmed_by) == (ImportRun.Status.SUCCEEDED, steward)


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(UPLOAD)

    assert response.status_code == 302 and "/login/" in response["Location"]
