from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "apps.disclosure"
    verbose_name = _("Disclosure control")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .signals import seed_parameters

        post_migrate.connect(seed_parameters, sender=self)
