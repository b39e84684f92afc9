from django.apps import AppConfig


class BranchesConfig(AppConfig):
    """Theme `branches` (Brancheanalyses): registers its indicator definitions with the registry."""

    name = "apps.branches"
    verbose_name = "Brancheanalyses"

    def ready(self):
        from . import indicators  # noqa: F401  (registers the indicators of this theme)
