from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "apps.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .signals import seed_reference_tables

        post_migrate.connect(seed_reference_tables, sender=self)
