"""Single sign-on with an organisation's own account (OpenID Connect, mozilla-django-oidc).

Who may log in: a person whose identity provider vouches for the e-mail address
(``email_verified``) and who has an active account in Zicht with that address (compared without
case). An unknown address gets no account, unless OIDC_CREATE_USERS=true: then a plain account
with no organisation and no site role (an organisation admin invites it to join). Two accounts
with the same address are refused, never guessed between.

Two factors: the provider's login does not count as the portal's second factor. A user whose
role needs two factors (data stewards, administrators, organisation admins) is still sent by
apps.accounts.middleware to set up TOTP or to log in with it, as after a password login.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

logger = logging.getLogger(__name__)


def _verified(claims: dict) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict) -> bool:
        if not (claims.get("email") or "").strip():
            return False
        if not _verified(claims):
            logger.info("OIDC login refused: the provider did not verify the e-mail address")
            return False
        return True

    def filter_users_by_claims(self, claims: dict):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict):
        """Only called when OIDC_CREATE_USERS is on (OIDC_CREATE_USER in settings)."""
        email = claims["email"].strip().lower()
        user = get_user_model().objects.create_user(
            username=self._free_username(email), email=email,
            first_name=(claims.get("given_name") or "")[:150], last_name=(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()  # logs in through the provider only
        user.save(update_fields=["password"])
        from apps.core.services import record_event

        record_event("account_created", user.get_username(), actor=user, via="oidc")
        return user

    def _free_username(self, email: str) -> str:
        base = email.split("@", 1)[0][:120] or "gebruiker"
        username = base
        while self.UserModel.objects.filter(username__iexact=username).exists():
            username = f"{base}-{get_random_string(5).lower()}"
        return username
