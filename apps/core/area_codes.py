"""The level of an area from its CBS code prefix. Pure (pandas only, no Django), so the pure
disclosure modules can use it as well as the engine, the releases and the comparisons."""

import pandas as pd

PREFIX_LEVEL = {"BU": "buurt", "WK": "wijk", "GM": "gemeente", "PV": "provincie", "NL": "land"}
LEVEL_PREFIX = {level: prefix for prefix, level in PREFIX_LEVEL.items()}


def level_of(codes: pd.Series) -> pd.Series:
    """The level of each area code, from its prefix (BU, WK, GM, PV, NL)."""
    return codes.str[:2].map(PREFIX_LEVEL)
