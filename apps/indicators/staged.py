"""Read access for the engine to the staged (restricted) source data, as frames."""

import pandas as pd

from apps.sources.models import Observation

# When several datasets give the same figure for the same area and year, the first wins: the
# full CBS table before the PDOK layers, before derived copies.
DATASET_PRIORITY = [
    "cbs_kwb:cbs-85984",
    "cbs_kwb:pdok-snake",
    "cbs_kwb:pdok-camel",
    "cbs_kwb:tmap",
    "politie_misdrijven",
]


class StagedData:
    def __init__(self):
        self._cache: dict[str, pd.DataFrame] = {}

    def observations(self, variable: str) -> pd.DataFrame:
        """One row per (area, year): area_code, level, vintage, year, value, status."""
        if variable not in self._cache:
            rows = Observation.objects.filter(variable=variable).values_list(
                "dataset", "area_code", "level", "vintage", "year", "value", "status"
            )
            frame = pd.DataFrame(
                list(rows), columns=["dataset", "area_code", "level", "vintage", "year", "value", "status"]
            )
            rank = {name: i for i, name in enumerate(DATASET_PRIORITY)}
            frame["rank"] = frame["dataset"].map(rank).fillna(len(rank))
            frame = frame.sort_values(["area_code", "year", "rank"]).drop_duplicates(["area_code", "year"])
            self._cache[variable] = frame.drop(columns=["dataset", "rank"]).reset_index(drop=True)
        return self._cache[variable]
