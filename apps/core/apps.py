from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = "Zicht"

    def ready(self):
        from .sqlite import connect_signals

        connect_signals()
