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


def issue_api_key(user: User):
    """A new API key for ``user``, replacing any earlier one (the caller checked that the session
    is verified where the role needs two factors). The key is shown once; the audit log keeps
    that it was issued, never the key."""
    from rest_framework.authtoken.models import Token

    from apps.core.services import record_event

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record_event("api_key_issued", user.get_username(), actor=user)
    return token


def revoke_api_key(user: User, *, actor=None) -> bool:
    """Take a user's API key away (by themselves, or because a new role needs two factors: a key
    issued before would skip the second factor). True when there was one."""
    from rest_framework.authtoken.models import Token

    from apps.core.services import record_event

    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        record_event("api_key_revoked", user.get_username(), actor=actor)
    return bool(deleted)
