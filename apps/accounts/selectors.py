"""Reads about users that the login and the middleware need."""


def needs_two_factor(user) -> bool:
    """Data stewards, administrators and organisation admins must log in with two factors."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_steward:
        return True
    from apps.organisations.models import Membership, Role

    return Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def api_key_of(user):
    """The user's stored API key (its digest and when it was made), or None."""
    from .models import ApiKey

    return ApiKey.objects.filter(user=user).first()
