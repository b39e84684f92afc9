from django.apps import AppConfig


class DrugsConfig(AppConfig):
    """Theme `drugs` (Drugsproblematiek): registers its indicator definitions with the registry."""

    name = "apps.drugs"
    verbose_name = "Drugsproblematiek"

    def ready(self):
        from . import indicators  # noqa: F401  (registers the indicators of this theme)
