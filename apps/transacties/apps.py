from django.apps import AppConfig


class TransactiesConfig(AppConfig):
    """Theme `transacties` (Verdachte transacties): registers its indicator definitions with the registry."""

    name = "apps.transacties"
    verbose_name = "Verdachte transacties"

    def ready(self):
        from . import indicators  # noqa: F401  (registers the indicators of this theme)
