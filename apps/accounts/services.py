"""Writes to accounts."""

from .models import User


def ensure_superuser(*, username: str, password: str, email: str = "") -> tuple[User, bool]:
    """Create the superuser, or reset its password if it exists. Returns (user, created)."""
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    user.set_password(password)
    user.save()
    return user, created


def ensure_totp_device(user: User, *, key_hex: str, name: str = "default") -> None:
    """Give ``user`` a confirmed TOTP device with this secret (the demo's documented one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name=name, key=key_hex, confirmed=True)


def revoke_api_key(user: User) -> bool:
    """Take a user's API key away (e.g. when a new role needs two factors: a key issued before
    would skip the second factor). True when there was one."""
    from rest_framework.authtoken.models import Token

    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
