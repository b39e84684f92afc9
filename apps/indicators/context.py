"""Context figures shown beside every theme (BRIEF §6), from open data as published.

Registered here until the context theme app of the indicator catalogue takes them over.
"""

import numpy as np
import pandas as pd

from .registry import CELL_COLUMNS, IndicatorDefinition, register


def _as_published(variable: str):
    def compute(staged) -> pd.DataFrame:
        frame = staged.observations(variable).copy()
        frame["denominator"] = np.nan
        frame["synthetic"] = False
        return frame[CELL_COLUMNS]

    return compute


def _crime_per_1000(staged) -> pd.DataFrame:
    crime = staged.observations("geregistreerde_misdrijven")
    people = staged.observations("inwoners")
    joined = crime.merge(
        people[["area_code", "year", "value", "status"]], on=["area_code", "year"], suffixes=("", "_inw")
    )
    joined["denominator"] = joined["value_inw"]
    joined["value"] = joined["value"] / joined["value_inw"] * 1000
    secret = (joined["status"] == "S") | (joined["status_inw"] == "S")
    missing = (joined["status"] == "N") | (joined["status_inw"] == "N") | (joined["value_inw"] <= 0)
    joined["status"] = np.select([secret, missing], ["S", "N"], default="")
    joined.loc[joined["status"] != "", "value"] = np.nan
    joined["synthetic"] = False
    return joined[CELL_COLUMNS]


OPEN = ("cbs_kwb",)
for slug, variable, name_nl, name_en, unit, kind in [
    ("inwoners", "inwoners", "Inwoners", "Inhabitants", "aantal", "count"),
    ("huishoudens", "huishoudens", "Huishoudens", "Households", "aantal", "count"),
    ("woz_gemiddeld", "woz_gemiddeld", "Gemiddelde WOZ-waarde", "Average WOZ value", "× 1.000 euro", "mean"),
    ("koopwoningen_pct", "koopwoningen_pct", "Koopwoningen", "Owner-occupied dwellings", "%", "share"),
    ("inkomen_per_inwoner", "inkomen_per_inwoner", "Gemiddeld inkomen per inwoner", "Average income per inhabitant", "× 1.000 euro", "mean"),
    ("stedelijkheid", "stedelijkheid", "Stedelijkheid", "Urbanity", "klasse 1–5", "mean"),
    ("leegstand_pct", "leegstand_pct", "Leegstaande woningen", "Vacant dwellings", "%", "share"),
]:
    register(
        IndicatorDefinition(
            slug=slug,
            theme="context",
            name_nl=name_nl,
            name_en=name_en,
            definition=f"{name_nl} volgens CBS Kerncijfers wijken en buurten.",
            unit=unit,
            kind=kind,
            compute=_as_published(variable),
            sources=OPEN,
        )
    )

register(
    IndicatorDefinition(
        slug="geregistreerde_misdrijven",
        theme="context",
        name_nl="Geregistreerde misdrijven",
        name_en="Registered crimes",
        definition="Door de politie geregistreerde misdrijven in het jaar (alle soorten).",
        unit="aantal",
        kind="count",
        compute=_as_published("geregistreerde_misdrijven"),
        sources=("politie_misdrijven",),
        levels=("gemeente", "buurt"),
    )
)
register(
    IndicatorDefinition(
        slug="misdrijven_per_1000_inwoners",
        theme="context",
        name_nl="Geregistreerde misdrijven per 1.000 inwoners",
        name_en="Registered crimes per 1,000 inhabitants",
        definition="Geregistreerde misdrijven in het jaar, gedeeld door het aantal inwoners, maal 1.000.",
        unit="per 1.000 inwoners",
        kind="rate",
        compute=_crime_per_1000,
        sources=("politie_misdrijven", "cbs_kwb"),
        direction=1,
        min_denominator=100,
        levels=("gemeente", "buurt"),
    )
)
