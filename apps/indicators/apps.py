from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "apps.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from . import context  # noqa: F401  (registers the context indicators)
