"""The personal API key, sent as ``Authorization: Token <key>``, looked up by its digest."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from apps.accounts.models import ApiKey
from apps.accounts.services import api_key_digest


class ApiKeyAuthentication(TokenAuthentication):
    """DRF's token scheme (header, keyword, 401 with ``WWW-Authenticate: Token``) over the
    portal's hashed keys."""

    def authenticate_credentials(self, key: str):
        stored = ApiKey.objects.select_related("user").filter(digest=api_key_digest(key)).first()
        if stored is None:
            raise exceptions.AuthenticationFailed(_("Invalid key."))
        if not stored.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return stored.user, stored
