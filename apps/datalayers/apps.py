from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatalayersConfig(AppConfig):
    name = "apps.datalayers"
    verbose_name = _("Own data layers")
