"""The portal's own user model and the (demo) superuser."""

import io

from django.contrib.auth import authenticate as _authenticate
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.core.management import call_command

from apps.accounts.models import User
from apps.accounts.services import ensure_superuser


def test_the_portal_uses_its_own_user_model():
    assert get_user_model() is User


def test_ensure_superuser_creates_then_resets(db):
    user, created = ensure_superuser(
        username="beheer", password="eerste-wachtwoord", email="b@example.org"
    )
    assert created
    assert (user.is_staff, user.is_superuser, user.is_active) == (True, True, True)
    assert authenticate(username="beheer", password="eerste-wachtwoord") == user

    User.objects.filter(pk=user.pk).update(is_superuser=False, is_active=False)
    again, created = ensure_superuser(username="beheer", password="tweede-wachtwoord")
    assert not created
    assert again.pk == user.pk
    assert (again.is_superuser, again.is_active) == (True, True)
    assert authenticate(username="beheer", password="eerste-wachtwoord") is None
    assert authenticate(username="beheer", password="tweede-wachtwoord") == again
    assert User.objects.count() == 1


def test_demo_account_command_can_run_twice(db):
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    call_command("create_demo_accounts", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("Demo superuser")]
    assert lines[0].startswith("Demo superuser created: admin / ")
    assert lines[1].startswith("Demo superuser reset: admin / ")
    password = lines[1].rsplit(" / ", 1)[1]
    assert authenticate(username="admin", password=password).is_superuser
    assert User.objects.filter(username="admin").count() == 1


def authenticate(**credentials):
    # As the login view does: django-axes counts failures per request (username and address).
    return _authenticate(RequestFactory().post("/account/login/"), **credentials)


def test_superuser_opens_the_admin_with_two_factors_only(client, db):
    from tests.factories import login_with_two_factors

    user, _created = ensure_superuser(username="beheer", password="een-lang-wachtwoord")
    client.force_login(user)  # password only
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two_factor/setup/")
    login_with_two_factors(client, user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_demo_admin_logs_in_with_the_documented_second_factor(client, db):
    from django_otp.oath import totp

    from apps.accounts.management.commands.create_demo_accounts import DEMO_TOTP_KEY_HEX

    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    secret = out.getvalue().split("secret ", 1)[1].split(";", 1)[0]
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)).hex() == DEMO_TOTP_KEY_HEX
    login = "/account/login/"
    response = client.post(login, {"auth-username": "admin", "auth-password": "zicht-demo-2024",
                                    "login_view-current_step": "auth"})
    assert response.status_code == 200  # asks for the code
    code = f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"
    response = client.post(login, {"token-otp_token": code, "login_view-current_step": "token"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_out(client, db):
    ensure_superuser(username="beheer", password="een-lang-wachtwoord")
    for _ in range(5):
        response = client.post("/account/login/", {"auth-username": "beheer", "auth-password": "fout",
                                                   "login_view-current_step": "auth"})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    # Locked: even the right password is refused now.
    response = client.post("/account/login/", {"auth-username": "beheer", "auth-password": "een-lang-wachtwoord",
                                               "login_view-current_step": "auth"})
    assert response.status_code == 429


def test_password_reset_sends_an_email(client, db, mailoutbox):
    user, _created = ensure_superuser(username="beheer", password="een-lang-wachtwoord", email="beheer@zicht.example")
    response = client.post("/account/password_reset/", {"email": "beheer@zicht.example"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/account/reset/" in mailoutbox[0].body

