"""Writes of the indicators app: (re)compute indicators into the restricted computed cells."""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Substr

from apps.core import bulk

from . import registry
from apps.core.area_codes import level_of
from .models import ComputedCell
from .staged import StagedData

logger = logging.getLogger(__name__)

WRITE_COLUMNS = ["indicator", *registry.CELL_COLUMNS]


def compute(definition: registry.IndicatorDefinition, staged: StagedData | None = None) -> pd.DataFrame:
    """The cells of one indicator as a frame (columns: indicator + CELL_COLUMNS), not stored.

    Columns a compute function leaves out get their empty value; cells of levels the definition
    does not list are dropped.
    """
    staged = staged or StagedData()
    cells = definition.compute(staged)
    cells = cells.reindex(columns=registry.CELL_COLUMNS)
    cells["sbi_section"] = cells["sbi_section"].fillna("")
    cells["status"] = cells["status"].fillna("")
    cells["synthetic"] = cells["synthetic"].astype("boolean").fillna(False).astype(bool)
    levels = level_of(cells["area_code"])
    all_branches = cells["sbi_section"] == ""
    keep = levels.isin(definition.levels) & (
        all_branches | (definition.by_sbi_section & levels.isin(definition.section_levels))
    )
    cells = cells[keep.to_numpy()]
    cells.insert(0, "indicator", definition.slug)
    return cells.reset_index(drop=True)


def recalculate(
    definitions: list[registry.IndicatorDefinition], *, staged: StagedData | None = None, replace_all: bool = False
) -> int:
    """Compute these indicators for every area and year from the staged data; replace their cells
    (and only theirs), in one transaction: a failing computation leaves the stored cells as they
    were."""
    staged = staged or StagedData()
    written = 0
    started = time.monotonic()
    slugs = [definition.slug for definition in definitions]
    with transaction.atomic():
        if replace_all:
            ComputedCell.objects.all().delete()  # one statement, also for indicators no longer registered
        else:
            ComputedCell.objects.filter(indicator__in=slugs).delete()
        for definition in definitions:
            written += write_cells(compute(definition, staged))
    logger.info(
        "recalculated %s indicators, %s cells in %.1f s", len(definitions), written, time.monotonic() - started
    )
    return written


def recalculate_all() -> int:
    """Every registered indicator; cells of indicators no longer registered are removed."""
    return recalculate(registry.all_indicators(), replace_all=True)


def write_cells(cells: pd.DataFrame) -> int:
    """Insert computed cells (bulk: executemany on SQLite, COPY on PostgreSQL)."""
    if cells.empty:
        return 0
    frame = cells[WRITE_COLUMNS].copy()
    for column in ("value", "numerator", "total", "top1", "top2", "denominator"):
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        frame[column] = values.where(np.isfinite(values))
    frame["contributors"] = pd.to_numeric(frame["contributors"], errors="coerce").astype("Int64")
    for column in ("vintage", "year"):
        frame[column] = frame[column].astype(np.int64)
    frame["synthetic"] = frame["synthetic"].astype(bool)
    for column in ("indicator", "area_code", "sbi_section", "status"):
        frame[column] = frame[column].fillna("").astype(str)
    return bulk.insert_frame(ComputedCell, frame)


def cell_counts() -> pd.DataFrame:
    """Computed cells per indicator, level and (all / per) section, counted by the database."""
    rows = (
        ComputedCell.objects.annotate(prefix=Substr("area_code", 1, 2))
        .values_list("indicator", "prefix", "sbi_section")
        .annotate(cells=Count("id"))
        .order_by()
    )
    frame = pd.DataFrame(list(rows), columns=["indicator", "prefix", "sbi_section", "cells"])
    frame["level"] = level_of(frame["prefix"])
    frame["per_section"] = frame["sbi_section"] != ""
    return frame.groupby(["indicator", "level", "per_section"])["cells"].sum().reset_index()
