from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AboutConfig(AppConfig):
    """Public information pages: methodology, privacy, accessibility statement."""

    name = "apps.about"
    verbose_name = _("About Zicht")
