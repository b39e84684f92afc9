"""The themes as the public pages present them; the indicators come from the registry."""

from django.utils.translation import gettext_lazy as _

from apps.indicators import registry

#: The four themes of BRIEF §1, then the context figures shown beside them.
THEME_ORDER = ("vastgoed", "drugs", "transacties", "branches", "context")
THEME_LABELS = {
    "vastgoed": _("Real estate"),
    "drugs": _("Drugs"),
    "transacties": _("Transactions"),
    "branches": _("Branches"),
    "context": _("Context"),
}
THEME_INTROS = {
    "vastgoed": _("Purchases, prices and owners of homes: money that cannot be explained, "
                  "buyers that are legal entities, homes sold on quickly."),
    "drugs": _("Dismantled cannabis farms, closures under article 13b of the Opiumwet, dumped "
               "drug waste and convictions under the Opiumwet."),
    "transacties": _("Transactions reported as suspicious to FIU-Nederland: how many, how "
                     "much cash, which branches."),
    "branches": _("Establishments in branches known to be attractive to criminal money, "
                  "churn, establishments on residential addresses and convicted directors."),
    "context": _("Inhabitants, homes, income, urbanity and registered crime: the setting "
                 "in which the signals must be read."),
}


def public_themes() -> list[str]:
    present = set(registry.themes())
    return [theme for theme in THEME_ORDER if theme in present]


def label(theme: str) -> str:
    return str(THEME_LABELS.get(theme, theme))
