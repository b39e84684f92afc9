"""Disclosure control: decide what of the computed cells may be published.

Open figures that their publisher already protected (CBS, police) are published as received,
their secret codes kept secret (BRIEF §5 rule 5); rates derived from them get the
minimum-denominator rule (status T). Indicators computed from record-level extracts are
protected per count table (apps.disclosure.tables: primary rules, secondary suppression over the
area and SBI hierarchies, the LP audit, cell-key rounding), one table and year at a time so that
memory stays bounded by the largest table, not by all cells.

The outcome is a DisclosureReport for stewards; a release is built only from a report whose
audit passed (apps.releases.services.build_release).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections import defaultdict
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Max, Sum

from apps.core.area_codes import level_of
from apps.core.bulk import insert_frame, read_frame
from apps.geography.selectors import parent_codes
from apps.indicators import registry
from apps.indicators.models import ComputedCell

from . import codes, rules, tables
from .models import DisclosureParameter, DisclosureReport, ProtectedCell, Status

logger = logging.getLogger(__name__)

COMPUTED_COLUMNS = [
    "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "numerator",
    "contributors", "total", "top1", "top2", "denominator", "synthetic",
]
#: The failing cells a report keeps (the rest are counted).
MAX_REPORTED_FAILURES = 200


class AuditFailed(Exception):
    """A suppressed cell could be narrowed down from published ones; nothing may be published."""


def current_parameters() -> rules.Parameters:
    """The stewards' disclosure parameters (confidential: never shown publicly)."""
    return rules.Parameters.from_mapping(dict(DisclosureParameter.objects.values_list("key", "value")))


def rounding_key() -> str:
    """The secret of the cell-key rounding: DISCLOSURE_ROUNDING_KEY, else derived from SECRET_KEY
    (a one-way derivation, so the rounding never exposes SECRET_KEY itself)."""
    if settings.DISCLOSURE_ROUNDING_KEY:
        return settings.DISCLOSURE_ROUNDING_KEY
    return hmac.new(settings.SECRET_KEY.encode(), b"zicht-disclosure-rounding", hashlib.sha256).hexdigest()


def extract_tables() -> dict[str, list[registry.IndicatorDefinition]]:
    """The count tables of the indicators computed from extracts, with their indicators."""
    grouped: dict[str, list[registry.IndicatorDefinition]] = defaultdict(list)
    for definition in registry.all_indicators():
        if definition.from_extracts:
            grouped[definition.counts].append(definition)
    return dict(grouped)


def member(definition: registry.IndicatorDefinition) -> tables.Member:
    return tables.Member(
        slug=definition.slug,
        kind=definition.kind,
        scale=definition.scale,
        min_denominator=definition.min_denominator,
        denominator_counts=definition.denominator_counts,
    )


def apply_rules(cells: pd.DataFrame, parameters: rules.Parameters | None = None) -> pd.DataFrame:
    """Status code per cell of an open figure; the value of every cell that is not V is removed.

    S and N as the publisher gave them; a cell whose denominator is below its indicator's
    minimum is T, also when its value could not be computed (a denominator of 0); a cell without
    a value and without a minimum is N. Counts of open figures are published as received.
    """
    minimum = cells["indicator"].map(
        {d.slug: d.min_denominator for d in registry.all_indicators()}
    ).astype(float)
    denominator = pd.to_numeric(cells["denominator"], errors="coerce")
    below = minimum.notna() & (denominator.fillna(0) < minimum)
    status = np.select(
        [cells["status"] == "S", cells["status"] == "N", below, cells["value"].isna()],
        [Status.SECRET_AT_SOURCE, Status.NOT_AVAILABLE, Status.DENOMINATOR, Status.NOT_AVAILABLE],
        default=Status.SAFE,
    )
    protected = cells[["indicator", "area_code", "vintage", "year", "value", "synthetic"]].copy()
    sections = cells["sbi_section"] if "sbi_section" in cells.columns else pd.Series("", index=cells.index)
    protected.insert(4, "sbi_section", sections.fillna(""))
    protected["status"] = status
    protected.loc[protected["status"] != Status.SAFE, "value"] = np.nan
    numerator = cells["numerator"] if "numerator" in cells.columns else pd.Series(np.nan, index=cells.index)
    safe = protected["status"] == Status.SAFE
    protected["numerator"] = pd.to_numeric(numerator, errors="coerce").where(safe)
    protected["denominator"] = denominator.where(safe)
    return protected


def computed_fingerprint() -> str:
    """Changes whenever the computed cells are recalculated (a release's audit refers to it)."""
    state = ComputedCell.objects.aggregate(n=Count("id"), last=Max("id"), total=Sum("numerator"))
    return hashlib.sha256(repr(sorted(state.items())).encode()).hexdigest()


def _read(slugs: list[str]) -> pd.DataFrame:
    cells = read_frame(ComputedCell.objects.filter(indicator__in=slugs), COMPUTED_COLUMNS)
    for column in ("value", "numerator", "contributors", "total", "top1", "top2", "denominator"):
        cells[column] = pd.to_numeric(cells[column], errors="coerce").astype(float)
    cells["synthetic"] = cells["synthetic"].astype(bool)
    cells["sbi_section"] = cells["sbi_section"].fillna("")
    cells["status"] = cells["status"].fillna("")
    return cells


def _write(protected: pd.DataFrame) -> int:
    frame = protected[tables.PROTECTED_COLUMNS].copy()
    for column in ("value", "numerator", "denominator"):
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        frame[column] = values.where(np.isfinite(values))
    for column in ("vintage", "year"):
        frame[column] = frame[column].astype(np.int64)
    return insert_frame(ProtectedCell, frame)


def _summary(protected: pd.DataFrame) -> pd.DataFrame:
    return (
        protected.assign(level=level_of(protected["area_code"]), per_section=protected["sbi_section"] != "")
        .groupby(["indicator", "level", "per_section", "status"])
        .size()
        .rename("cells")
        .reset_index()
    )


def protect_all() -> DisclosureReport:
    """Protect every computed cell into ProtectedCell and report on it. Call inside a transaction
    (the pipeline step holds one): the cells are replaced as a whole. The audit's outcome is in
    the report; ``raise_if_failed`` turns a failed one into AuditFailed."""
    started = time.monotonic()
    params = current_parameters()
    key = rounding_key()
    fingerprint = computed_fingerprint()
    parents: dict[int, pd.Series] = {}

    def parents_of(vintage: int) -> pd.Series:
        if vintage not in parents:
            parents[vintage] = pd.Series(parent_codes(vintage=vintage), dtype=object)
        return parents[vintage]

    ProtectedCell.objects.all().delete()
    summaries: list[pd.DataFrame] = []
    table_rows: list[dict] = []
    failures: list[dict] = []
    failed_cells = 0

    for definition in registry.all_indicators():
        if definition.from_extracts:
            continue
        protected = apply_rules(_read([definition.slug]), params)
        _write(protected)
        summaries.append(_summary(protected))

    # The years of a table are protected side by side (the database is only touched here).
    with _pool() as pool:
        for name, definitions in extract_tables().items():
            members = {d.slug: member(d) for d in definitions}
            cells = _read(list(members))
            jobs = [
                (int(vintage), int(year), pool.submit(
                    tables.protect_table, name, members, part, parents_of(int(vintage)), params, key
                ))
                for (vintage, year), part in cells.groupby(["vintage", "year"], sort=True)
            ]
            del cells
            for vintage, year, job in jobs:
                result = job.result()
                _write(result.protected)
                summaries.append(_summary(result.protected))
                audited = result.audit
                failing = audited[~audited["passed"]]
                failed_cells += len(failing)
                margin = (audited["width"] - audited["required"])[audited["required"] > 0]
                table_rows.append(
                    {
                        "table": name,
                        "indicators": sorted(members),
                        "vintage": vintage,
                        "year": year,
                        "audited": int(len(audited)),
                        "failed": int(len(failing)),
                        "narrowest_margin": _number(margin.min()) if len(margin) else None,
                        "dropped_relations": result.dropped_relations,
                    }
                )
                for row in failing.head(max(0, MAX_REPORTED_FAILURES - len(failures))).itertuples(index=False):
                    failures.append(_failure(name, vintage, year, row))

    summary = pd.concat(summaries, ignore_index=True) if summaries else pd.DataFrame(
        columns=["indicator", "level", "per_section", "status", "cells"]
    )
    total = int(summary["cells"].sum())
    suppressed = int(summary.loc[summary["status"].isin(codes.SUPPRESSED), "cells"].sum())
    report = DisclosureReport.objects.create(
        passed=failed_cells == 0,
        cell_count=total,
        suppressed_count=suppressed,
        summary=summary.astype({"cells": int}).to_dict("records"),
        tables=table_rows,
        failures=failures,
        computed_fingerprint=fingerprint,
        seconds=round(time.monotonic() - started, 2),
    )
    logger.info(
        "disclosure control: %s cells, %s suppressed, audit %s (%s failing cells) in %.1f s",
        total, suppressed, "passed" if report.passed else "FAILED", failed_cells, report.seconds,
    )
    return report


def _pool():
    """Workers for protect_table: processes where this process may start them (a command, the
    eager demo), else threads (a Celery prefork worker is a daemon and may not; HiGHS releases
    the GIL, so threads still share the LP time)."""
    workers = settings.DISCLOSURE_WORKERS
    if workers > 1 and not multiprocessing.current_process().daemon and "fork" in multiprocessing.get_all_start_methods():
        # Forked workers only run the pure protect_table: they never use the parent's database
        # connection.
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=workers)


def raise_if_failed(report: DisclosureReport) -> None:
    if not report.passed:
        failed = sum(row["failed"] for row in report.tables)
        raise AuditFailed(
            f"the disclosure audit failed: {failed} suppressed cells could be narrowed down below their "
            f"protection (disclosure report #{report.pk}); nothing is published"
        )


def _failure(table: str, vintage: int, year: int, row) -> dict:
    """A failing cell of the audit, as the report and ``audit_release`` show it to stewards."""
    return {
        "table": table, "vintage": vintage, "year": year, "cell": row.cell, "measure": row.measure,
        "status": row.status, "lower": _number(row.lower), "upper": _number(row.upper),
        "required": _number(row.required),
    }


def _number(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def level_shares(report: DisclosureReport) -> pd.DataFrame:
    """Share of cells suppressed per level (all indicators; all-branche and per-section cells
    apart): the information loss of a run."""
    frame = pd.DataFrame(report.summary)
    if frame.empty:
        return pd.DataFrame(columns=["level", "per_section", "cells", "suppressed", "share"])
    frame["suppressed"] = frame["cells"].where(frame["status"].isin(codes.SUPPRESSED), 0)
    out = frame.groupby(["level", "per_section"])[["cells", "suppressed"]].sum().reset_index()
    out["share"] = out["suppressed"] / out["cells"]
    order = {level: i for i, level in enumerate(["land", "provincie", "gemeente", "wijk", "buurt"])}
    return out.sort_values(["per_section", "level"], key=lambda s: s.map(order) if s.name == "level" else s)


def audit_release(release) -> dict:
    """Run the attacker's audit on a stored release: its published values and status codes
    against the restricted counts. Returns ``{"passed", "tables", "failures",
    "values_in_suppressed_cells", "computed_changed"}``. ``computed_changed`` says the computed
    cells were recalculated after the release was built: the pattern is then audited against
    the newer counts, which is what an attacker would face if it were published again."""
    from apps.releases import selectors as reader

    params = current_parameters()
    report = release.disclosure_report
    leaked = reader.values_in_withheld_cells(release)
    rows, failures = [], []
    parents: dict[int, pd.Series] = {}
    for name, definitions in extract_tables().items():
        members = {d.slug: member(d) for d in definitions}
        cells = _read(list(members))
        published = reader.frame(release.pk, indicators=list(members),
                                 columns=("indicator", "area_code", "vintage", "year", "sbi_section", "status"))
        for (vintage, year), part in cells.groupby(["vintage", "year"], sort=True):
            shown = published[(published["vintage"] == vintage) & (published["year"] == year)]
            if shown.empty:
                continue
            if vintage not in parents:
                parents[vintage] = pd.Series(parent_codes(vintage=int(vintage)), dtype=object)
            audited = tables.audit_published(members, part, shown, parents[vintage], params)
            failing = audited[~audited["passed"]]
            rows.append({"table": name, "vintage": int(vintage), "year": int(year),
                         "audited": int(len(audited)), "failed": int(len(failing))})
            failures.extend(_failure(name, int(vintage), int(year), r) for r in failing.head(20).itertuples(index=False))
    return {
        "passed": leaked == 0 and all(row["failed"] == 0 for row in rows),
        "tables": rows,
        "failures": failures,
        "values_in_suppressed_cells": leaked,
        "computed_changed": report is None or report.computed_fingerprint != computed_fingerprint(),
    }
