"""The portal's own user model and the (demo) superuser."""

import io

from django.contrib.auth import authenticate, get_user_model
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
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Demo superuser created: admin / ")
    assert lines[1].startswith("Demo superuser reset: admin / ")
    password = lines[1].rsplit(" / ", 1)[1]
    assert authenticate(username="admin", password=password).is_superuser
    assert User.objects.filter(username="admin").count() == 1


def test_superuser_can_open_the_admin(client, db):
    ensure_superuser(username="beheer", password="een-lang-wachtwoord")
    assert client.login(username="beheer", password="een-lang-wachtwoord")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
