from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteRole(models.TextChoices):
    NONE = "", _("none")
    STEWARD = "steward", _("data steward")
    ADMINISTRATOR = "administrator", _("administrator")


class User(AbstractUser):
    """The portal's user. Organisation roles are memberships (apps.organisations); the site
    roles say who keeps the data (stewards) and who runs the site (administrators)."""

    site_role = models.CharField(_("site role"), max_length=15, choices=SiteRole.choices, blank=True, default="")

    @property
    def is_site_administrator(self) -> bool:
        return self.is_superuser or self.site_role == SiteRole.ADMINISTRATOR

    @property
    def is_steward(self) -> bool:
        return self.is_site_administrator or self.site_role == SiteRole.STEWARD


class ApiKey(models.Model):
    """A user's personal API key, kept only as its SHA-256 digest: the key is shown once, when it
    is made, and a copy of the database cannot be used to call the API. A key is 40 random hex
    characters (160 bits), so a fast hash suffices; a slow one would only slow every call."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_key", verbose_name=_("user"))
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters"), max_length=8,
                              help_text=_("The key's first characters, so its owner can tell which key this is."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
