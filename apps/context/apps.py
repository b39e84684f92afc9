from django.apps import AppConfig


class ContextConfig(AppConfig):
    """Theme `context` (Context): registers its indicator definitions with the registry."""

    name = "apps.context"
    verbose_name = "Context"

    def ready(self):
        from . import indicators  # noqa: F401  (registers the indicators of this theme)
