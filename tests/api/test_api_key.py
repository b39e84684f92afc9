"""API keys: issued only to a logged-in session that passed the two-factor rule, shown once,
replaced or revoked by their owner, and accepted by the workspace endpoints."""

from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from apps.accounts.models import ApiKey
from apps.accounts.services import api_key_digest
from apps.api.views import ApiKeyView
from apps.organisations.models import Role
from tests.api.conftest import make_member
from tests.factories import login_with_two_factors

# Anonymous, another gemeente and roles for this endpoint are in test_access.py; this file adds
# the two-factor rule.
COVERED_URL_NAMES = {"api:api-key"}

KEY_URL = "/api/v1/werkruimte/sleutel/"


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_member_gets_a_key_once_replaces_it_and_revokes_it(items, colleague, api):
    session = api(colleague)
    assert reverse("api:api-key") == KEY_URL
    response = session.post(KEY_URL)
    assert response.status_code == 201
    first = response.json()
    assert set(first) == {"sleutel", "aangemaakt"} and len(first["sleutel"]) == 40
    state = session.get(KEY_URL).json()
    assert state["heeft_sleutel"] is True and "sleutel" not in state

    notes = token_client(first["sleutel"]).get(reverse("api:note-list"))
    assert notes.status_code == 200
    assert {row["id"] for row in notes.json()["results"]} == {items.organisation_note.pk, items.shared_note.pk}
    made = token_client(first["sleutel"]).post(reverse("api:note-list"), {"gebied": "GM0308", "tekst": "Via script"},
                                               format="json")
    assert made.status_code == 201 and made.json()["auteur"] == colleague.username

    second = session.post(KEY_URL).json()["sleutel"]
    assert second != first["sleutel"]
    assert token_client(first["sleutel"]).get(reverse("api:note-list")).status_code == 401
    assert token_client(second).get(reverse("api:note-list")).status_code == 200

    assert session.delete(KEY_URL).status_code == 204
    assert not ApiKey.objects.filter(user=colleague).exists()
    assert token_client(second).get(reverse("api:note-list")).status_code == 401
    assert session.get(KEY_URL).json() == {"heeft_sleutel": False, "aangemaakt": None}


def test_an_organisation_admin_gets_a_key_from_a_session_verified_with_two_factors(items, baarn, api):
    admin = make_member(baarn, Role.ADMIN)
    session = login_with_two_factors(APIClient(), admin)
    response = session.post(KEY_URL)
    assert response.status_code == 201
    # The key works without the session (no session cookie, so no two-factor middleware).
    listed = token_client(response.json()["sleutel"]).get(reverse("api:organisation-list")).json()
    assert listed["results"][0]["rol"] == "admin"


def test_an_unverified_session_of_a_user_who_needs_two_factors_gets_no_key(items, baarn):
    admin = make_member(baarn, Role.ADMIN)
    session = APIClient()
    session.force_login(admin)  # password only: the second factor was never checked
    response = session.post(KEY_URL)
    # The portal's two-factor middleware answers a program in JSON, not with a login page.
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert not ApiKey.objects.filter(user=admin).exists()

    # Without the portal's middleware in front (as if it were ever taken away), the view itself
    # refuses: the session is not verified.
    request = APIRequestFactory().post(KEY_URL)
    force_authenticate(request, user=admin)
    response = ApiKeyView.as_view()(request)
    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert not ApiKey.objects.filter(user=admin).exists()

    admin.is_verified = lambda: True  # what django_otp's middleware sets after a second factor
    request = APIRequestFactory().post(KEY_URL)
    force_authenticate(request, user=admin)
    assert ApiKeyView.as_view()(request).status_code == 201


def test_a_key_cannot_make_or_revoke_keys(items, colleague, api):
    key = api(colleague).post(KEY_URL).json()["sleutel"]
    by_key = token_client(key)
    assert by_key.post(KEY_URL).status_code == 403
    assert by_key.delete(KEY_URL).status_code == 403
    assert ApiKey.objects.get(user=colleague).digest == api_key_digest(key)


def test_a_session_needs_its_csrf_token_to_get_a_key(items, colleague):
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(colleague)
    response = session.post(KEY_URL)
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not ApiKey.objects.filter(user=colleague).exists()


def test_issuing_and_revoking_a_key_are_in_the_audit_log_without_the_key(items, colleague, api):
    from apps.core.models import AuditEvent

    client = api(colleague)
    key = client.post(KEY_URL).json()["sleutel"]
    client.delete(KEY_URL)
    events = list(AuditEvent.objects.filter(subject=colleague.username).order_by("pk"))
    assert [event.action for event in events] == ["api_key_issued", "api_key_revoked"]
    assert all(event.actor == colleague and key not in str(event.details) for event in events)


def test_the_database_keeps_only_a_digest_of_the_key(items, colleague, api):
    key = api(colleague).post(KEY_URL).json()["sleutel"]
    stored = ApiKey.objects.get(user=colleague)
    assert key not in {stored.digest, stored.prefix} and stored.prefix == key[:8]
    # What a copy of the database holds does not open the API.
    assert token_client(stored.digest).get(reverse("api:note-list")).status_code == 401
    assert token_client(key).get(reverse("api:note-list")).status_code == 200


def test_a_key_of_an_inactive_user_is_refused(items, colleague, api):
    key = api(colleague).post(KEY_URL).json()["sleutel"]
    colleague.is_active = False
    colleague.save()
    assert token_client(key).get(reverse("api:note-list")).status_code == 401


def test_a_user_made_steward_in_the_admin_loses_their_key(items, colleague, api, admin_client):
    from apps.accounts.models import SiteRole

    api(colleague).post(KEY_URL)
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"site_role": SiteRole.STEWARD, "date_joined_0": colleague.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": colleague.date_joined.strftime("%H:%M:%S"), "groups": [], "user_permissions": []})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    colleague.refresh_from_db()
    assert colleague.site_role == SiteRole.STEWARD
    assert not ApiKey.objects.filter(user=colleague).exists()


def test_an_administrator_revokes_a_key_in_the_admin_and_it_is_logged(items, colleague, api, admin_client):
    from apps.core.models import AuditEvent

    key = api(colleague).post(KEY_URL).json()["sleutel"]
    stored = ApiKey.objects.get(user=colleague)
    listing = admin_client.get(reverse("admin:accounts_apikey_changelist")).content.decode()
    assert stored.prefix in listing and key not in listing
    response = admin_client.post(reverse("admin:accounts_apikey_delete", args=[stored.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert token_client(key).get(reverse("api:note-list")).status_code == 401
    assert AuditEvent.objects.filter(action="api_key_revoked", subject=colleague.username).exists()
