"""Writes to accounts."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from .models import ApiKey, User


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


@dataclass(frozen=True)
class IssuedKey:
    """A key as it is handed out, once: the only moment the key itself exists outside the caller."""

    key: str
    created: datetime


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(user: User) -> IssuedKey:
    """A new API key for ``user``, replacing any earlier one (the caller checked that the session
    is verified where the role needs two factors). Only its digest is stored; the key is shown
    once. The audit log keeps that it was issued, never the key."""
    from apps.core.services import record_event

    key = secrets.token_hex(20)
    with transaction.atomic():
        ApiKey.objects.filter(user=user).delete()
        stored = ApiKey.objects.create(user=user, digest=api_key_digest(key), prefix=key[:8])
    record_event("api_key_issued", user.get_username(), actor=user, prefix=stored.prefix)
    return IssuedKey(key=key, created=stored.created_at)


def revoke_api_key(user: User, *, actor=None) -> bool:
    """Take a user's API key away (by themselves, or because a new role needs two factors: a key
    issued before would skip the second factor). True when there was one."""
    from apps.core.services import record_event

    deleted, _ = ApiKey.objects.filter(user=user).delete()
    if deleted:
        record_event("api_key_revoked", user.get_username(), actor=actor)
    return bool(deleted)


def revoke_api_key_if_two_factors_needed(user: User, *, actor=None) -> bool:
    """After a role change: a user who now needs two factors keeps no key that may have been
    issued to a session with one."""
    from .selectors import needs_two_factor

    return needs_two_factor(user) and revoke_api_key(user, actor=actor)
