"""Read access for the engine to the staged (restricted) source data, as frames.

Everything is read once per recalculation and kept: the area hierarchy of a vintage, the
records of an extract kind, the open observations of a variable, the denominators resolved from
them and the active risk branches. Reads use ``values_list`` (never model instances) and return
pandas frames; nothing here loops over cells.
"""

from __future__ import annotations

import json
import logging
from typing import Callable

import numpy as np
import pandas as pd

from apps.core.bulk import read_frame
from apps.geography.models import Area
from apps.sources.models import Observation, Record

logger = logging.getLogger(__name__)

# When several datasets give the same figure for the same area and year, the first wins: the
# full CBS table before the PDOK layers, before derived copies.
DATASET_PRIORITY = [
    "cbs_kwb:cbs-85984",
    "cbs_kwb:pdok-snake",
    "cbs_kwb:pdok-camel",
    "cbs_kwb:tmap",
    "politie_misdrijven",
]

# Bottom-up: a buurt lies in a wijk, in a gemeente, in a provincie, in Nederland.
LEVELS = ("buurt", "wijk", "gemeente", "provincie", "land")
HIERARCHY_COLUMNS = ["vintage", *LEVELS]
PERIOD = ["vintage", "year"]

RECORD_FIELDS = [
    "vintage", "record_id", "buurt_code", "date", "end_date", "year", "amount", "sbi_code",
    "category", "subject_id", "object_id", "flags", "synthetic",
]


class StagedData:
    """The staged data of one recalculation, read lazily and cached."""

    def __init__(self):
        self._cache: dict = {}

    def memo(self, key, build: Callable[[], object]):
        """Keep an intermediate result (a base frame several indicators share)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # ------------------------------------------------------------ open observations

    def observations(self, variable: str) -> pd.DataFrame:
        """One row per (area, year): area_code, level, vintage, year, value, status."""
        return self.memo(("observations", variable), lambda: self._read_observations(variable))

    @staticmethod
    def _read_observations(variable: str) -> pd.DataFrame:
        rows = Observation.objects.filter(variable=variable).values_list(
            "dataset", "area_code", "level", "vintage", "year", "value", "status"
        )
        frame = pd.DataFrame(
            list(rows), columns=["dataset", "area_code", "level", "vintage", "year", "value", "status"]
        )
        frame["value"] = frame["value"].astype(float)
        rank = {name: i for i, name in enumerate(DATASET_PRIORITY)}
        frame["rank"] = frame["dataset"].map(rank).fillna(len(rank))
        frame = frame.sort_values(["area_code", "year", "rank"]).drop_duplicates(["area_code", "year"])
        return frame.drop(columns=["dataset", "rank"]).reset_index(drop=True)

    # ------------------------------------------------------------ geography

    def hierarchy(self, vintage: int) -> pd.DataFrame:
        """One row per buurt of the vintage: vintage, buurt, wijk, gemeente, provincie, land codes."""
        return self.memo(("hierarchy", int(vintage)), lambda: read_hierarchy(int(vintage)))

    def hierarchies(self, vintages) -> pd.DataFrame:
        frames = [self.hierarchy(v) for v in sorted({int(v) for v in vintages})]
        if not frames:
            return pd.DataFrame(columns=HIERARCHY_COLUMNS)
        return pd.concat(frames, ignore_index=True)

    def areas(self) -> "AreaIndex":
        """Every area of every loaded indeling, numbered, with each buurt's ancestors (for the
        engine's dense aggregation)."""
        return self.memo("areas", lambda: AreaIndex.build(self))

    # ------------------------------------------------------------ record-level extracts

    def records(self, kind: str) -> pd.DataFrame:
        """The records of an extract kind, one row each; the JSON flags become columns.

        Columns: vintage, record_id, buurt_code, date, end_date (datetime64), year, amount,
        sbi_code, category, subject_id, object_id, synthetic, and one column per flag of the kind
        (booleans; geboortejaar as a number).
        """
        return self.memo(("records", kind), lambda: read_records(kind))

    def risk_codes(self) -> tuple[str, ...]:
        """The SBI codes of the active risk branches (apps.indicators.models.RiskBranch)."""
        from .models import RiskBranch

        return self.memo(
            "risk_codes",
            lambda: tuple(sorted(RiskBranch.objects.filter(active=True).values_list("sbi_code", flat=True))),
        )

    # ------------------------------------------------------------ denominators

    def denominator(
        self, variable: str, periods: pd.DataFrame, *, fallback: str | None = None, additive: bool = True
    ) -> pd.DataFrame:
        """An open figure as the denominator of every area of the periods' vintages and years.

        Per area and year, in this order:

        1. the figure of ``variable`` for the area itself, from observations on the *same
           indeling* (vintage) as the cell, of the year itself or else of the nearest year that
           has a value (ties go to the later year). Most open figures exist for 2024 only, so a
           2021 cell divides by the 2024 figure. Figures on another indeling are never used: a
           gemeente code can keep its number while its boundary changes (Weesp into Amsterdam).
        2. the same for ``fallback`` (e.g. households where the dwelling stock is missing);
        3. for additive figures (counts), the sum of its parts (buurten for a wijk, wijken for a
           gemeente, gemeenten for a provincie, provincies for Nederland) where the area itself
           has no figure; parts without a figure count as absent.

        Returns area_code, vintage, year, denominator, den_status ('' or 'S' when the figure is
        secret at the source and no other year has one).
        """
        periods = periods[PERIOD].drop_duplicates().astype(int)
        key = ("denominator", variable, fallback, additive, tuple(map(tuple, periods.to_numpy())))
        return self.memo(key, lambda: self._resolve(variable, periods, fallback, additive))

    def _resolve(self, variable, periods, fallback, additive) -> pd.DataFrame:
        keys = ["area_code", "vintage", "year"]
        resolved, secret = self._nearest(variable, periods)
        if fallback:
            other, other_secret = self._nearest(fallback, periods)
            resolved = _append_missing(resolved, other, keys)
            secret = _append_missing(secret, other_secret, keys)
        if additive:
            resolved = self._fill_from_parts(resolved, periods)
        resolved = resolved.assign(den_status="")
        secret = secret.merge(resolved[keys], on=keys, how="left", indicator=True)
        secret = secret[secret["_merge"] == "left_only"].drop(columns="_merge")
        secret = secret.assign(value=np.nan, den_status="S")
        frame = pd.concat([resolved, secret], ignore_index=True)
        return frame.rename(columns={"value": "denominator"})[[*keys, "denominator", "den_status"]]

    def _nearest(self, variable: str, periods: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(values, secrets): the nearest year's figure per area and period, within the vintage."""
        columns = ["area_code", "vintage", "year", "value"]
        observed = self.observations(variable)
        observed = observed[observed["vintage"].isin(periods["vintage"].unique())]
        usable = (observed["status"] == "") & observed["value"].notna()
        valid = observed.loc[usable, ["area_code", "vintage", "year", "value"]]
        candidates = valid.rename(columns={"year": "observed_year"}).merge(periods, on="vintage")
        candidates["distance"] = (candidates["year"] - candidates["observed_year"]).abs()
        candidates = candidates.sort_values(
            ["area_code", "vintage", "year", "distance", "observed_year"],
            ascending=[True, True, True, True, False],
        ).drop_duplicates(["area_code", "vintage", "year"])
        secret = observed.loc[observed["status"] == "S", ["area_code", "vintage"]].drop_duplicates()
        secret = secret.merge(periods, on="vintage").assign(value=np.nan)
        return candidates[columns].reset_index(drop=True), secret[columns]

    def _fill_from_parts(self, resolved: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
        keys = ["area_code", "vintage", "year"]
        hierarchy = self.hierarchies(periods["vintage"].unique())
        for child, parent in zip(LEVELS[:-1], LEVELS[1:]):
            links = (
                hierarchy[["vintage", child, parent]]
                .dropna()
                .drop_duplicates()
                .rename(columns={child: "area_code", parent: "parent"})
            )
            parts = resolved.merge(links, on=["vintage", "area_code"])
            sums = (
                parts.groupby(["vintage", "parent", "year"], sort=False)["value"]
                .sum()
                .reset_index()
                .rename(columns={"parent": "area_code"})
            )
            resolved = _append_missing(resolved, sums[[*keys, "value"]], keys)
        return resolved


class AreaIndex:
    """Areas numbered 0..n-1 over all indelingen, so the engine aggregates into dense arrays.

    ``code``, ``vintage``, ``level`` per number; ``ancestors[i]`` holds, for buurt ``i``, the
    numbers of the buurt itself, its wijk, gemeente, provincie and Nederland (-1 where a link is
    missing), in the order of LEVELS; ``in_hierarchy`` marks the areas with buurten under them.
    """

    def __init__(self, code, vintage, level, ancestors, in_hierarchy):
        self.code, self.vintage, self.level = code, vintage, level
        self.ancestors, self.in_hierarchy = ancestors, in_hierarchy
        self._lookup = pd.Index(_keys(vintage, code))

    def __len__(self) -> int:
        return len(self.code)

    @classmethod
    def build(cls, staged: StagedData) -> "AreaIndex":
        rows = Area.objects.values_list("vintage", "code", "level").order_by("vintage", "code")
        frame = pd.DataFrame(list(rows), columns=["vintage", "code", "level"])
        code = frame["code"].to_numpy(dtype=object)
        vintage = frame["vintage"].to_numpy(dtype=np.int64)
        level = frame["level"].to_numpy(dtype=object)
        index = cls(code, vintage, level, np.full((len(frame), len(LEVELS)), -1, dtype=np.int64),
                    np.zeros(len(frame), dtype=bool))
        for year in sorted(set(vintage.tolist())):
            hierarchy = staged.hierarchy(year)
            if hierarchy.empty:
                continue
            numbers = np.column_stack(
                [index.number_of(np.full(len(hierarchy), year), hierarchy[lvl].fillna("")) for lvl in LEVELS]
            )
            index.ancestors[numbers[:, 0]] = numbers
            present = numbers[numbers >= 0]
            index.in_hierarchy[present] = True
        return index

    def number_of(self, vintages, codes) -> np.ndarray:
        """The number of each (vintage, code); -1 for an unknown area."""
        return self._lookup.get_indexer(_keys(np.asarray(vintages), np.asarray(codes, dtype=object)))


def _keys(vintages, codes) -> np.ndarray:
    return (pd.Series(vintages).astype(str).to_numpy(dtype=object) + ":" + pd.Series(codes).astype(str).to_numpy(dtype=object))


def _append_missing(frame: pd.DataFrame, extra: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` plus the rows of ``extra`` whose keys it does not have."""
    if extra.empty:
        return frame
    if frame.empty:
        return extra.reset_index(drop=True)
    merged = extra.merge(frame[keys], on=keys, how="left", indicator=True)
    new = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([frame, new], ignore_index=True)


def read_hierarchy(vintage: int) -> pd.DataFrame:
    """buurt → wijk → gemeente → provincie → land codes of one vintage, from the parent links."""
    rows = Area.objects.filter(vintage=vintage).values_list("id", "code", "level", "parent_id")
    areas = pd.DataFrame(list(rows), columns=["id", "code", "level", "parent"])
    result = pd.DataFrame(columns=HIERARCHY_COLUMNS)
    if areas.empty:
        return result
    code_of = areas.set_index("id")["code"]
    level_of = areas.set_index("id")["level"]
    parent_of = areas.set_index("id")["parent"]
    buurten = areas[areas["level"] == "buurt"]
    result = pd.DataFrame({"vintage": vintage, "buurt": buurten["code"].to_numpy()})
    for level in LEVELS[1:]:
        result[level] = None
    # Walk up four parent links at once for every buurt; each ancestor goes to its level's column.
    current = pd.Series(buurten["parent"].to_numpy(), dtype="float")
    for _ in LEVELS[1:]:
        levels = current.map(level_of).to_numpy()
        codes = current.map(code_of).to_numpy()
        for level in LEVELS[1:]:
            here = levels == level
            result.loc[here, level] = codes[here]
        current = current.map(parent_of).astype("float")
    broken = result[list(LEVELS)].isna().any(axis=1).sum()
    if broken:
        logger.warning("%s buurten of %s lack a complete chain of parents", broken, vintage)
    return result


def read_records(kind: str) -> pd.DataFrame:
    """All records of a kind as a frame. The rows come straight from the database cursor (no
    model instances, no per-field converters); dates and flags are converted column-wise."""
    frame = read_frame(Record.objects.filter(kind=kind), RECORD_FIELDS)
    flags = frame.pop("flags").tolist()
    if flags and isinstance(flags[0], str):  # SQLite keeps JSON as text; PostgreSQL decodes it
        flags = [json.loads(text) if text else {} for text in flags]
    flags = pd.DataFrame.from_records(flags, index=frame.index) if flags else pd.DataFrame(index=frame.index)
    for column in flags.columns:
        values = flags[column]
        if pd.api.types.infer_dtype(values, skipna=True) == "boolean":
            flags[column] = values.astype("boolean").fillna(False).astype(bool)
        else:
            flags[column] = pd.to_numeric(values, errors="coerce")
    frame = frame.join(flags)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce").astype(float)
    frame["synthetic"] = frame["synthetic"].astype(bool)
    for column in ("vintage", "year"):
        frame[column] = frame[column].astype(int)
    for column in ("record_id", "buurt_code", "sbi_code", "category", "subject_id", "object_id"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame
