"""Disclosure control of one count table and the indicators derived from it (BRIEF §5 rules 2–5).

A *count table* is the count under the indicators computed from record-level extracts, e.g.
"aankopen" (purchases of dwellings): its cells are every area of one indeling (buurt up to
Nederland) and, for branche indicators, every SBI section, in one year. Several indicators rest
on one table (purchases per 1,000 dwellings and the average price both count purchases), so the
table is protected once and every indicator on it inherits the pattern:

1. *Primary.* Each indicator's own rules (``rules.primary_status``: frequency on its
   contributors, dominance and the p%-rule on its amounts, the single-category rule for
   shares, its minimum denominator). A cell of the table is unsafe when it is unsafe for any of
   its indicators; A before B before T.
2. *Secondary* (``secondary.secondary_suppression``) on the counts with the additive relations
   of the area hierarchy and the SBI sections, until the LP audit passes; then, when an
   indicator sums amounts, again on the sums of amounts with the pattern so far (suppressing
   more never narrows an interval, so the count audit still holds).
3. *Audit* of the final pattern on the counts and, where there are any, on the sums of amounts.
   The attacker is given the true values of every published cell, which is more than the
   rounded figures the portal shows: an audit that passes here passes for the real attacker.
4. *Rounding.* Published counts are rounded to the rounding base with the cell key of the table
   (same cell, same noise, in every indicator and every run); rates and shares are computed
   from the rounded counts (a share's denominator with the key of its own table). Means and
   sums of amounts are not counts and are published as computed.

A relation that does not hold exactly on the true counts (distinct persons counted in two
buurten of one wijk count once in the wijk) is of no use to an attacker and is left out.

*Exact values.* The relations and the attacker's system run on whole numbers: counts, and sums
of amounts in whole cents (``_exact``). A sum of amounts arrives as a float in euros, and floats
in euros do not add up exactly: a wijk's total can differ from the sum of its buurten's by a few
units in the last place (at national scale 1e-9 to 4e-9 euro in wijken of millions). Taken as
exact, such a relation asks the unpublished cells to add up to a tiny negative amount, which
non-negative cells cannot (``InconsistentTable``, although the true table is a solution). The
engine adds amounts in whole cents, and whole cents add up exactly in float64 (below 2**53), so
a relation holds exactly or is left out. Protection widths are computed in euros and multiplied
by 100; the audit reports euros.

An indicator's cell status: S (secret at the source) first; then its own primary code; then D
when the table cell is suppressed for another indicator or by secondary suppression; then N
when it has no value; else V.

Pure module: numpy, pandas and scipy; no Django. The parameters and the rounding salt are
confidential; the report this module returns is for stewards only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from apps.core.area_codes import level_of

from . import codes, rules
from .audit import audit
from .hierarchy import Relation, additivity_errors
from .rounding import round_counts
from .secondary import secondary_suppression

#: Precedence of the primary codes when several indicators of a table disagree.
PRIMARY_ORDER = (codes.FREQUENCY, codes.DOMINANCE, codes.DENOMINATOR)
PROTECTED_COLUMNS = [
    "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "numerator",
    "denominator", "synthetic",
]


@dataclass(frozen=True)
class Member:
    """What disclosure control needs to know of one indicator on a table."""

    slug: str
    kind: str  # count, share, rate, mean, sum
    scale: float | None
    min_denominator: float | None
    denominator_counts: str = ""  # the table under a counted denominator ('' for open figures)

    @property
    def amounts(self) -> bool:
        """Its value rests on a sum of amounts (dominance and the p%-rule apply)."""
        return self.kind in ("mean", "sum")


@dataclass
class TableResult:
    protected: pd.DataFrame  # PROTECTED_COLUMNS, one row per indicator cell
    audit: pd.DataFrame  # one row per suppressed table cell: cell, level, status, width, required, passed
    dropped_relations: int  # relations left out because they do not add up


def cell_ids(area_codes: pd.Series, sections: pd.Series) -> pd.Series:
    return area_codes.astype(str) + "|" + sections.astype(str)


def table_relations(cells: pd.DataFrame, parent_of: pd.Series) -> list[Relation]:
    """The additive relations between the cells of one table (one vintage and year).

    ``cells`` has ``area_code`` and ``sbi_section``; ``parent_of`` maps an area code to its
    parent's code (buurt → wijk → gemeente → provincie → Nederland). Per section, a parent cell
    is the sum of its children's cells; per area, the all-branches cell is the sum of its
    section cells. A cell that does not exist is 0 and known to be 0 (nothing is published for
    it, and the page says nothing was counted), so it adds nothing to a relation.
    """
    ids = cell_ids(cells["area_code"], cells["sbi_section"])
    present = pd.Index(ids)
    parents = cells["area_code"].map(parent_of)
    parent_ids = cell_ids(parents.fillna(""), cells["sbi_section"])
    linked = parents.notna().to_numpy() & pd.Index(parent_ids).isin(present)
    relations: list[Relation] = [
        (parent, group.tolist())
        for parent, group in pd.Series(ids[linked].to_numpy()).groupby(parent_ids[linked].to_numpy(), sort=False)
    ]
    sections = cells["sbi_section"] != ""
    if sections.any():
        totals = cell_ids(cells.loc[sections, "area_code"], pd.Series("", index=cells.index[sections]))
        has_total = pd.Index(totals).isin(present)
        part_ids = ids[sections][has_total]
        relations.extend(
            (total, group.tolist())
            for total, group in pd.Series(part_ids.to_numpy()).groupby(totals[has_total].to_numpy(), sort=False)
        )
    return relations


def _first(frames: list[pd.DataFrame], column: str, index: pd.Index) -> pd.Series:
    """Per table cell, the first indicator's value of ``column`` that is known."""
    out = pd.Series(np.nan, index=index, dtype=float)
    for frame in frames:
        if column in frame:
            values = pd.to_numeric(frame[column], errors="coerce").astype(float)
            out = out.fillna(values.groupby(frame["cell"]).first().reindex(index))
    return out


def _table(members: dict[str, Member], cells: pd.DataFrame):
    """The cells with their ids, the cells per indicator, the table's cells (``keys``), the
    count table (count, contributors and, where an indicator sums amounts, the amounts) and
    whether it has amounts."""
    cells = cells.reset_index(drop=True).copy()
    cells["sbi_section"] = cells["sbi_section"].fillna("")
    cells["cell"] = cell_ids(cells["area_code"], cells["sbi_section"])
    by_member = {slug: cells[cells["indicator"] == slug] for slug in members}
    by_member = {slug: frame for slug, frame in by_member.items() if not frame.empty}
    keys = cells.drop_duplicates("cell")[["cell", "area_code", "sbi_section"]].set_index("cell")
    index = keys.index
    table = pd.DataFrame({"cell": index, "area_code": keys["area_code"].to_numpy()}, index=index)
    frames = list(by_member.values())
    table["count"] = _first(frames, "numerator", index).fillna(0.0)
    table["contributors"] = _first(frames, "contributors", index)
    amount_frames = [by_member[slug] for slug in by_member if members[slug].amounts]
    if amount_frames:
        for column in ("total", "top1", "top2"):
            table[column] = _first(amount_frames, column, index)
        table["total"] = table["total"].fillna(0.0)
    return cells, by_member, keys, table, bool(amount_frames)


def primary(member: Member, cells: pd.DataFrame, params: rules.Parameters) -> pd.Series:
    """One indicator's primary status per cell (V where it is safe on its own)."""
    frame = pd.DataFrame(
        {
            "count": pd.to_numeric(cells["numerator"], errors="coerce"),
            "contributors": pd.to_numeric(cells["contributors"], errors="coerce"),
            "denominator": pd.to_numeric(cells["denominator"], errors="coerce"),
            "min_denominator": member.min_denominator if member.min_denominator is not None else np.nan,
        },
        index=cells.index,
    )
    if member.amounts:
        for column in ("total", "top1", "top2"):
            frame[column] = pd.to_numeric(cells[column], errors="coerce")
    if member.kind == "share":
        with np.errstate(divide="ignore", invalid="ignore"):
            share = frame["count"] / frame["denominator"]
        # "All of them": a sensitive category that holds the whole (non-empty) group.
        frame["category_share_max"] = share.where(frame["denominator"] > 0)
    return rules.primary_status(frame, params)


def _combine(statuses: list[pd.Series], index: pd.Index) -> pd.Series:
    combined = pd.Series(codes.SAFE, index=index, dtype=object)
    for code in reversed(PRIMARY_ORDER):  # the strongest code is written last
        hit = pd.Series(False, index=index)
        for status in statuses:
            hit |= (status == code).groupby(level=0).any().reindex(index, fill_value=False)
        combined[hit] = code
    return combined


#: Rounds of audit-driven repair before secondary suppression gives up; the audit then fails
#: the release with the cells it could not protect (instead of running for hours).
MAX_REPAIR_ROUNDS = 40


def _required(frame: pd.DataFrame, status: pd.Series, params: rules.Parameters, value: str) -> pd.Series:
    """The protection each cell needs (``rules.required_protection``), except that an empty T
    cell needs none: T hides a rate whose denominator is too small to be reliable, and that
    nothing was counted under it reveals no one. Protecting such zeros would make a zero
    section of a cross table unprotectable short of hiding the whole section."""
    required = rules.required_protection(frame, status, params, value=value)
    empty = (status == codes.DENOMINATOR) & (pd.to_numeric(frame[value], errors="coerce").fillna(0.0) == 0)
    return required.mask(empty, 0.0)


#: Units of the exact values per unit of the measure: sums of amounts are exact in cents.
EXACT_UNITS = {"count": 1.0, "total": 100.0}


def _exact(table: pd.DataFrame, value: str) -> pd.Series:
    """The measure in whole units (counts; amounts in cents), where relations hold exactly."""
    return np.rint(table[value].astype(float) * EXACT_UNITS[value])


def _protect_pattern(
    table: pd.DataFrame,
    relations: list[Relation],
    status: pd.Series,
    params: rules.Parameters,
    value: str,
) -> pd.Series:
    frame = table.assign(value=table[value], status=status)
    required = _required(frame, status, params, value) * EXACT_UNITS[value]
    frame["value"] = _exact(table, value)
    return secondary_suppression(
        frame[["cell", "value", "status"]], relations, protection=required, max_rounds=MAX_REPAIR_ROUNDS
    )


def _audit(
    table: pd.DataFrame, relations: list[Relation], status: pd.Series, params: rules.Parameters, value: str
) -> pd.DataFrame:
    frame = table.assign(value=_exact(table, value), status=status)
    # Cells suppressed only to protect others (D) need no width of their own.
    euros = table.assign(value=table[value], status=status)
    frame["protection"] = _required(euros, status, params, value) * EXACT_UNITS[value]
    result = audit(frame[["cell", "value", "status", "protection"]], relations)
    for column in ("lower", "upper", "width", "required"):  # back in the measure's own unit
        result[column] = result[column] / EXACT_UNITS[value]
    result["measure"] = value
    return result


def _additive_relations(
    table: pd.DataFrame, keys: pd.DataFrame, parent_of: pd.Series, has_amounts: bool
) -> tuple[list[Relation], int]:
    """The table's relations that hold exactly on the counts (and the amounts in cents), and
    how many did not (an attacker cannot use a relation that does not hold)."""
    relations = table_relations(keys.reset_index(), parent_of)
    dropped = 0
    for value in ("count", "total") if has_amounts else ("count",):
        errors = additivity_errors(table.assign(value=_exact(table, value)), relations, tolerance=0.0)
        if len(errors):
            bad = set(errors["total"])
            relations = [relation for relation in relations if relation[0] not in bad]
            dropped += len(bad)
    return relations, dropped


def _audit_table(
    table: pd.DataFrame, relations: list[Relation], status: pd.Series, params: rules.Parameters, has_amounts: bool
) -> pd.DataFrame:
    count_frame = table.drop(columns=["total", "top1", "top2"], errors="ignore")
    audits = [_audit(count_frame, relations, status, params, "count")]
    if has_amounts:
        audits.append(_audit(table, relations, status, params, "total"))
    audited = pd.concat(audits, ignore_index=True)
    audited["level"] = level_of(audited["cell"].str.split("|").str[0])
    return audited


def protect_table(
    name: str,
    members: dict[str, Member],
    cells: pd.DataFrame,
    parent_of: pd.Series,
    params: rules.Parameters,
    salt: str,
    denominator_rounding: bool = True,
) -> TableResult:
    """Protect one count table in one (vintage, year): ``cells`` are the computed cells of its
    indicators (the restricted columns of ``apps.indicators.registry.CELL_COLUMNS`` plus
    ``indicator``). Returns the cells as they may be published and the audit of the pattern."""
    cells, by_member, keys, table, has_amounts = _table(members, cells)
    index = keys.index

    # A cell its source keeps secret (S: the denominator) is not published, and its count is
    # no secret: the primary rules do not apply to it.
    own = {
        slug: primary(members[slug], frame, params)
        .where(frame["status"].fillna("").to_numpy() != codes.SECRET_AT_SOURCE, codes.SAFE)
        .set_axis(frame["cell"].to_numpy())
        for slug, frame in by_member.items()
    }
    status = _combine(list(own.values()), index)

    relations, dropped = _additive_relations(table, keys, parent_of, has_amounts)
    count_frame = table.drop(columns=["total", "top1", "top2"], errors="ignore")
    status = _protect_pattern(count_frame, relations, status, params, "count")
    if has_amounts:
        status = _protect_pattern(table, relations, status, params, "total")
    audited = _audit_table(table, relations, status, params, has_amounts)

    published = status == codes.SAFE
    rounded = round_counts(
        table["count"].where(published), _rounding_keys(name, cells, index), params.rounding_base, salt
    )
    frames_out = [
        _member_cells(members[slug], frame, own[slug], status, rounded, params, salt, denominator_rounding)
        for slug, frame in by_member.items()
    ]
    protected = pd.concat(frames_out, ignore_index=True) if frames_out else pd.DataFrame(columns=PROTECTED_COLUMNS)
    return TableResult(protected=protected, audit=audited, dropped_relations=dropped)


def _rounding_keys(name: str, cells: pd.DataFrame, index: pd.Index) -> pd.Series:
    """The cell key: the table, the indeling, the year, the area and the section; never the
    value (a key from the value would let repeated releases average the noise away)."""
    vintage, year = int(cells["vintage"].iloc[0]), int(cells["year"].iloc[0])
    return pd.Series(f"{name}|{vintage}|{year}|", index=index) + index.to_series()


def _member_cells(
    member: Member,
    frame: pd.DataFrame,
    own: pd.Series,
    table_status: pd.Series,
    rounded: pd.Series,
    params: rules.Parameters,
    salt: str,
    denominator_rounding: bool,
) -> pd.DataFrame:
    cell = frame["cell"].to_numpy()
    source = frame["status"].fillna("").to_numpy()
    own_status = own.to_numpy()
    suppressed = table_status.reindex(cell).to_numpy() != codes.SAFE
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    count = rounded.reindex(cell).to_numpy(dtype=float)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").to_numpy(dtype=float)
    if member.denominator_counts and denominator_rounding:
        keys = (
            f"{member.denominator_counts}|{int(frame['vintage'].iloc[0])}|{int(frame['year'].iloc[0])}|"
            + pd.Series(cell, dtype=object)
        )
        whole = np.where(np.isfinite(denominator), denominator, np.nan)
        denominator = round_counts(pd.Series(whole), keys, params.rounding_base, salt).to_numpy(dtype=float)
    scale = member.scale or 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        if member.kind == "count":
            value, numerator = count, count
        elif member.kind in ("rate", "share"):
            value = np.where(denominator > 0, count / denominator * scale, np.nan)
            if member.kind == "share":  # independent rounding may put the part above the whole
                value = np.minimum(value, scale)
            numerator = count
        else:  # means and sums of amounts: published as computed, the count stays unpublished
            numerator = np.full(len(frame), np.nan)
    status = np.select(
        [source == codes.SECRET_AT_SOURCE, own_status != codes.SAFE, suppressed, ~np.isfinite(value)],
        [codes.SECRET_AT_SOURCE, own_status, codes.SECONDARY, codes.NOT_AVAILABLE],
        default=codes.SAFE,
    )
    safe = status == codes.SAFE
    return pd.DataFrame(
        {
            "indicator": member.slug,
            "area_code": frame["area_code"].to_numpy(),
            "vintage": frame["vintage"].to_numpy(),
            "year": frame["year"].to_numpy(),
            "sbi_section": frame["sbi_section"].to_numpy(),
            "value": np.where(safe, value, np.nan),
            "status": status,
            "numerator": np.where(safe, numerator, np.nan),
            "denominator": np.where(safe, denominator, np.nan),
            "synthetic": frame["synthetic"].astype(bool).to_numpy(),
        }
    )


def audit_published(
    members: dict[str, Member],
    cells: pd.DataFrame,
    published: pd.DataFrame,
    parent_of: pd.Series,
    params: rules.Parameters,
) -> pd.DataFrame:
    """Audit a suppression pattern as it was published, against the true counts.

    ``cells`` are the computed cells of the table's indicators in one (vintage, year);
    ``published`` the same cells' status codes as a release holds them (``indicator``,
    ``area_code``, ``sbi_section``, ``status``). A table cell is known to the attacker when any
    of its indicators is published there (a rate or share gives its count away); it needs the
    protection of the strongest code among its indicators. Returns the audit rows as
    ``protect_table`` does.
    """
    cells, _, keys, table, has_amounts = _table(members, cells)
    index = keys.index

    codes_of = published.assign(cell=cell_ids(published["area_code"], published["sbi_section"].fillna("")))
    shown = codes_of["status"] == codes.SAFE
    known = pd.Series(codes_of["cell"][shown].unique(), dtype=object)
    status = pd.Series(codes.SECONDARY, index=index, dtype=object)
    for code in reversed(PRIMARY_ORDER):
        status[index.isin(codes_of.loc[codes_of["status"] == code, "cell"])] = code
    status[index.isin(known)] = codes.SAFE
    # Cells the release does not name at all were never published: unknown to the attacker.
    relations, _ = _additive_relations(table, keys, parent_of, has_amounts)
    return _audit_table(table, relations, status, params, has_amounts)
