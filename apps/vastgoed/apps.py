from django.apps import AppConfig


class VastgoedConfig(AppConfig):
    """Theme `vastgoed` (Misbruik van vastgoed): registers its indicator definitions with the registry."""

    name = "apps.vastgoed"
    verbose_name = "Misbruik van vastgoed"

    def ready(self):
        from . import indicators  # noqa: F401  (registers the indicators of this theme)
