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
