"""Single sign-on through OIDC: off unless the environment configures it; on, users are matched
by their verified e-mail address and created only when OIDC_CREATE_USERS says so."""

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent

OIDC_SETTINGS = {
    "OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "zicht",
    "OIDC_RP_CLIENT_SECRET": "geheim",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
}
BUTTON = "/oidc/authenticate/"


def backend():
    from apps.accounts.oidc import OrganisationAccountBackend

    return OrganisationAccountBackend()


def claims(email="Anna@Baarn.example", verified=True, **more):
    return {"email": email, "email_verified": verified, "sub": "123", **more}


def test_without_configuration_there_are_no_oidc_urls_and_no_button(client, db):
    assert not settings.OIDC_ENABLED
    assert "apps.accounts.oidc.OrganisationAccountBackend" not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404
    response = client.get(reverse("two_factor:login"))
    assert response.status_code == 200 and BUTTON not in response.content.decode()


@pytest.mark.urls("tests.accounts.oidc_urls")
def test_with_configuration_the_login_page_offers_the_organisations_account(client, db):
    with override_settings(**OIDC_SETTINGS):
        response = client.get(reverse("two_factor:login") + "?next=/werkruimte/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{BUTTON}?next=%2Fwerkruimte%2F"' in page
    # The same URLs with the setting off: no button.
    assert BUTTON not in client.get(reverse("two_factor:login")).content.decode()


@override_settings(**OIDC_SETTINGS)
def test_users_are_matched_by_their_verified_email_without_case(db):
    anna = User.objects.create_user(username="anna", email="anna@baarn.example", password="x" * 12)
    users = backend().filter_users_by_claims(claims())
    assert list(users) == [anna]
    assert backend().verify_claims(claims())
    assert not backend().verify_claims(claims(verified=False))
    assert not backend().verify_claims(claims(verified=None))
    assert not backend().verify_claims(claims(email=""))
    anna.is_active = False
    anna.save()
    assert not backend().filter_users_by_claims(claims()).exists()


@override_settings(**OIDC_SETTINGS, OIDC_CREATE_USER=False)
def test_an_unknown_address_gets_no_account_by_default(db, monkeypatch):
    oidc = backend()
    monkeypatch.setattr(oidc, "get_userinfo", lambda *args: claims(email="onbekend@elders.example"))
    assert oidc.get_or_create_user("access", "id", {}) is None
    assert not User.objects.exists()


@override_settings(**OIDC_SETTINGS, OIDC_CREATE_USER=True)
def test_with_oidc_create_users_an_unknown_address_gets_a_plain_account(db, monkeypatch):
    User.objects.create_user(username="nieuw", email="iemand@elders.example")  # the username is taken
    oidc = backend()
    monkeypatch.setattr(oidc, "get_userinfo", lambda *args: claims(email="Nieuw@Baarn.example", given_name="Nieuwe",
                                                                   family_name="Collega"))
    user = oidc.get_or_create_user("access", "id", {})
    assert user.email == "nieuw@baarn.example" and user.username.startswith("nieuw-")
    assert user.get_full_name() == "Nieuwe Collega"
    assert not user.has_usable_password() and not user.site_role and not user.is_staff
    assert not user.memberships.exists()
    assert AuditEvent.objects.filter(action="account_created", details__via="oidc").exists()
    # An unverified address creates nothing.
    monkeypatch.setattr(oidc, "get_userinfo", lambda *args: claims(email="ander@baarn.example", verified=False))
    with pytest.raises(SuspiciousOperation):  # authenticate() turns this into a refusal (None)
        oidc.get_or_create_user("access", "id", {})
    assert not User.objects.filter(email="ander@baarn.example").exists()


@override_settings(**OIDC_SETTINGS, OIDC_CREATE_USER=True)
def test_two_accounts_with_one_address_are_refused(db, monkeypatch):
    User.objects.create_user(username="a", email="dubbel@baarn.example")
    User.objects.create_user(username="b", email="DUBBEL@baarn.example")
    oidc = backend()
    monkeypatch.setattr(oidc, "get_userinfo", lambda *args: claims(email="dubbel@baarn.example"))
    with pytest.raises(SuspiciousOperation):
        oidc.get_or_create_user("access", "id", {})  # authenticate() turns this into a refusal (None)
    assert User.objects.count() == 2


@override_settings(**OIDC_SETTINGS, AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS,
                                                            "apps.accounts.oidc.OrganisationAccountBackend"])
def test_an_organisation_admin_logged_in_by_oidc_still_needs_the_second_factor(client, db):
    from apps.organisations import services
    from apps.organisations.models import Membership, Role

    baarn = services.create_organisation(name="Gemeente Baarn", slug="baarn", kind="gemeente", area_code="GM0308")
    admin = User.objects.create_user(username="anna", email="anna@baarn.example")
    Membership.objects.create(user=admin, organisation=baarn, role=Role.ADMIN)
    client.force_login(admin, backend="apps.accounts.oidc.OrganisationAccountBackend")
    response = client.get(reverse("organisations:members", args=["baarn"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor:setup"))
