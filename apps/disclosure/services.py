"""Disclosure control: decide what of the computed cells may be published.

Open figures that their publisher already protected (CBS, police) are published as received,
their secret codes kept secret (BRIEF §5 rule 5); derived rates get the minimum-denominator rule
(status T). Rules for record-level extracts (frequency, dominance, secondary suppression, the
audit) plug in here with the indicator engine.
"""

import logging

import numpy as np
import pandas as pd
from django.db import transaction

from apps.core.bulk import insert_frame, read_frame
from apps.indicators import registry
from apps.indicators.models import ComputedCell

from . import rules
from .models import DisclosureParameter, ProtectedCell, Status

logger = logging.getLogger(__name__)


class AuditFailed(Exception):
    """A suppressed cell could be recovered from published ones; nothing may be published."""


def current_parameters() -> rules.Parameters:
    """The stewards' disclosure parameters (confidential: never shown publicly)."""
    return rules.Parameters.from_mapping(dict(DisclosureParameter.objects.values_list("key", "value")))


def apply_rules(cells: pd.DataFrame, parameters: rules.Parameters | None = None) -> pd.DataFrame:
    """Status code per cell; the value of every cell that is not V is removed.

    A cell whose denominator is below its indicator's minimum is T, also when its value could
    not be computed (a denominator of 0); a cell without a value and without a minimum is N.
    Branche cells keep their SBI section ('' for all branches).
    """
    minimum = cells["indicator"].map(
        {d.slug: d.min_denominator for d in registry.all_indicators()}
    ).astype(float)
    denominator = pd.to_numeric(cells["denominator"], errors="coerce")
    below = minimum.notna() & (denominator.fillna(0) < minimum)
    # Interim protection of cells computed from record-level extracts: the frequency rule on
    # their contributors. Secondary suppression, dominance and the audit (rules.py, secondary.py,
    # audit.py) are wired in next; no public page reads releases before they are.
    if "contributors" in cells.columns:
        counted = cells.assign(contributors=pd.to_numeric(cells["contributors"], errors="coerce"), count=np.nan)
        too_few = rules.frequency_rule(counted, parameters or current_parameters()).fillna(False).astype(bool)
    else:
        too_few = pd.Series(False, index=cells.index)
    status = np.select(
        [cells["status"] == "S", cells["status"] == "N", too_few, below, cells["value"].isna()],
        [Status.SECRET_AT_SOURCE, Status.NOT_AVAILABLE, Status.FREQUENCY, Status.DENOMINATOR, Status.NOT_AVAILABLE],
        default=Status.SAFE,
    )
    protected = cells[["indicator", "area_code", "vintage", "year", "value", "synthetic"]].copy()
    sections = cells["sbi_section"] if "sbi_section" in cells.columns else pd.Series("", index=cells.index)
    protected.insert(4, "sbi_section", sections.fillna(""))
    protected["status"] = status
    protected.loc[protected["status"] != Status.SAFE, "value"] = np.nan
    return protected


def audit(protected: pd.DataFrame) -> None:
    """Raise AuditFailed when a suppressed cell is not protected. Open figures carry no additive
    relation the portal suppresses in, so there is nothing to recover yet."""


def protect_all() -> int:
    columns = [
        "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "denominator",
        "contributors", "synthetic",
    ]
    cells = read_frame(ComputedCell.objects.all(), columns)
    cells["value"] = pd.to_numeric(cells["value"], errors="coerce").astype(float)
    cells["synthetic"] = cells["synthetic"].astype(bool)
    protected = apply_rules(cells)
    audit(protected)
    with transaction.atomic():
        ProtectedCell.objects.all().delete()
        written = insert_frame(ProtectedCell, protected)
    logger.info("disclosure control: %s cells, %s not safe", written, int((protected["status"] != "V").sum()))
    return written
