"""The release page: publish, roll back, and the audit trail of a steward's whole day."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.releases.models import Release
from apps.sources.models import ImportRun
from tests.releases.helpers import FIRST, SECOND, build, current_numbers
from tests.sources.helpers import BAARN_CRIME, csv_text, real

pytestmark = pytest.mark.usefixtures("db")  # not the django_db marker: see tests/conftest.py


def page(release: Release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def publish_url(release: Release) -> str:
    return reverse("admin:releases_release_publish", args=[release.pk])


def test_release_page_offers_to_publish(admin_client):
    release = build(FIRST)

    response = admin_client.get(page(release))

    assert response.status_code == 200
    assert response.context["can_publish"] is True and response.context["is_rollback"] is False
    assert publish_url(release) in response.content.decode()


def test_the_publish_button_publishes_and_an_older_release_rolls_back(admin_client, admin_user):
    first, second = build(FIRST), build(SECOND)

    response = admin_client.post(publish_url(first))
    assert response.status_code == 302 and response["Location"] == page(first)
    assert current_numbers() == [1]

    admin_client.post(publish_url(second))
    assert current_numbers() == [2]

    older = admin_client.get(page(first))
    assert older.context["is_rollback"] is True  # the button says "roll back"
    admin_client.post(publish_url(first))
    assert current_numbers() == [1]

    actions = list(AuditEvent.objects.order_by("id").filter(action__in=["publish", "rollback"])
                   .values_list("action", "subject", "actor"))
    assert actions == [
        ("publish", f"release {first.number}", admin_user.pk),
        ("publish", f"release {second.number}", admin_user.pk),
        ("rollback", f"release {first.number}", admin_user.pk),
    ]


def test_the_current_release_has_no_publish_button(admin_client):
    release = build(FIRST)
    admin_client.post(publish_url(release))

    response = admin_client.get(page(release))

    assert response.context["can_publish"] is False
    assert publish_url(release) not in response.content.decode()


def test_get_on_publish_is_not_allowed(admin_client):
    release = build(FIRST)

    assert admin_client.get(publish_url(release)).status_code == 405
    assert current_numbers() == []


def test_staff_without_permission_cannot_publish(client):
    release = build(FIRST)
    client.force_login(User.objects.create_user(username="medewerker", password="x", is_staff=True))

    assert client.post(publish_url(release)).status_code == 403
    assert client.get(page(release)).status_code == 403
    assert current_numbers() == []
    assert not AuditEvent.objects.filter(action="publish").exists()


def test_release_list_opens(admin_client):
    build(FIRST)

    response = admin_client.get(reverse("admin:releases_release_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_a_stewards_day_leaves_an_audit_trail_with_the_actor(
    geo, admin_client, admin_user, django_capture_on_commit_callbacks
):
    """Upload, confirm, publish; a second upload, confirm, publish; then roll back."""
    crime = real(BAARN_CRIME)
    admin_client.post(reverse("admin:sources_importrun_upload"),
                      {"files": SimpleUploadedFile(crime.name, crime.read_bytes())})
    first_run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:sources_importrun_confirm", args=[first_run.pk]))
    first_run.refresh_from_db()
    assert first_run.status == ImportRun.Status.SUCCEEDED, first_run.error
    admin_client.post(publish_url(first_run.release))

    corrected = csv_text(["regiocode", "niveau", "jaar", "geregistreerde_misdrijven_totaal"],
                         [["GM0308", "gemeente", "2024", "973"]])
    admin_client.post(reverse("admin:sources_importrun_upload"),
                      {"files": SimpleUploadedFile("correctie_2024.csv", corrected.encode())})
    second_run = ImportRun.objects.exclude(pk=first_run.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:sources_importrun_confirm", args=[second_run.pk]))
    second_run.refresh_from_db()
    assert second_run.status == ImportRun.Status.SUCCEEDED, second_run.error
    admin_client.post(publish_url(second_run.release))
    assert current_numbers() == [2]
    # The correction replaced the 2024 crime figures: the buurten of 2024 are gone.
    assert second_run.release.changes["removed"] > 0 and second_run.release.changes["changed"] == 1

    admin_client.post(publish_url(first_run.release))
    assert current_numbers() == [1]

    trail = list(AuditEvent.objects.order_by("id").values_list("action", "actor"))
    assert [action for action, _ in trail if action in ("upload", "confirm", "publish", "rollback")] == [
        "upload", "confirm", "publish", "upload", "confirm", "publish", "rollback",
    ]
    assert {actor for action, actor in trail if action in ("upload", "confirm", "publish", "rollback")} == {
        admin_user.pk
    }
