"""Releases: build an immutable release from the protected cells, publish it, roll back.

Publishing flips the one current release inside a transaction, so a reader sees either the old
release or the new one, never a mix.
"""

import logging

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.comparisons import services as comparisons
from apps.comparisons.models import OpportunityProfile, Zoekgebied
from apps.core.bulk import insert_frame, refresh_statistics, read_frame
from apps.indicators import registry
from apps.core.services import record_event
from apps.disclosure.models import SUPPRESSED, DisclosureReport, ProtectedCell
from apps.disclosure.services import raise_if_failed

from . import cache as release_cache
from . import derived, selectors
from .models import PublishedValue, Release

logger = logging.getLogger(__name__)

KEY = ["indicator", "area_code", "year", "sbi_section"]


CHANGE_KEYS = ("added", "removed", "changed", "newly_suppressed", "no_longer_suppressed")


def changes_between(new_id: int, old_id: int | None) -> dict:
    """``compare`` of two stored releases, one indicator at a time (a national release holds
    millions of cells; two of them at once would not fit the memory budget)."""
    ids = [new_id] if old_id is None else [new_id, old_id]
    totals = dict.fromkeys(CHANGE_KEYS, 0)
    for indicator in selectors.indicators_in(ids):
        part = compare(selectors.frame(new_id, indicators=[indicator]), selectors.frame(old_id, indicators=[indicator]))
        for key in CHANGE_KEYS:
            totals[key] += part[key]
    return totals


def compare(new: pd.DataFrame, old: pd.DataFrame) -> dict:
    """Cells added, removed, changed, newly suppressed and released from suppression.

    A cell is (indicator, area, year, SBI section); frames without sections are all-branche."""
    new, old = (frame if "sbi_section" in frame.columns else frame.assign(sbi_section="") for frame in (new, old))
    merged = new.merge(old, on=KEY, how="outer", suffixes=("", "_old"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    value_changed = ~(
        (both["value"] == both["value_old"]) | (both["value"].isna() & both["value_old"].isna())
    )
    suppressed_now = both["status"].isin(SUPPRESSED)
    suppressed_before = both["status_old"].isin(SUPPRESSED)
    return {
        "added": int((merged["_merge"] == "left_only").sum()),
        "removed": int((merged["_merge"] == "right_only").sum()),
        "changed": int((value_changed | (both["status"] != both["status_old"])).sum()),
        "newly_suppressed": int((suppressed_now & ~suppressed_before).sum()),
        "no_longer_suppressed": int((~suppressed_now & suppressed_before).sum()),
    }


PROTECTED_COLUMNS = [
    "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "numerator", "denominator",
]
PUBLISHED_COLUMNS = [
    "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status",
    *comparisons.COMPARISON_COLUMNS, "derived",
]
#: What the zoekgebieden and the gelegenheidsstructuur read of every compared cell.
SIGNAL_COLUMNS = [
    "indicator", "direction", "area_code", "level", "vintage", "year", "sbi_section", "value", "status",
    "sig_nl", "percentile",
]


def _protected(slugs) -> pd.DataFrame:
    frame = read_frame(ProtectedCell.objects.filter(indicator__in=list(slugs)), PROTECTED_COLUMNS)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["sbi_section"] = frame["sbi_section"].fillna("")
    return frame


def _publish_values(release: Release) -> list[str]:
    """Write the release's published values with their comparisons, one indicator at a time
    (memory stays bounded by the largest indicator), then its zoekgebieden and gelegenheids-
    structuur. The numerators and denominators the significance tests use stay behind in the
    restricted ProtectedCell table: PublishedValue has no column for them.

    Nederland and provincies the source has no figure for are derived from their gemeenten
    (apps.releases.derived) before the comparisons, so the gemeenten are indexed against them.
    Returns the indicators that have derived cells; the release counts them among its cells."""
    areas = comparisons.area_frame()
    context = comparisons.context_frame(_protected(comparisons.CONTEXT_INDICATORS))
    # Cells of an indicator no longer registered are not published.
    stored = set(ProtectedCell.objects.values_list("indicator", flat=True).order_by().distinct())
    indicators = sorted(stored & {definition.slug for definition in registry.all_indicators()})
    signals = []
    with_totals = []
    for slug in indicators:
        cells = _protected([slug]).assign(derived=False)
        definition = registry.get(slug)
        totals = derived.totals(cells, areas, kind=definition.kind, scale=definition.scale,
                                min_denominator=definition.min_denominator)
        if not totals.empty:
            with_totals.append(slug)
            release.cell_count += len(totals)
            cells = pd.concat([cells, totals], ignore_index=True)
        compared = comparisons.with_comparisons(cells, areas, context)
        frame = compared[PUBLISHED_COLUMNS].assign(release=release.id)
        frame["series_break"] = frame["series_break"].fillna(False).astype(bool)
        frame["derived"] = frame["derived"].fillna(False).astype(bool)
        for column in ("peer_group", "knn_codes", "sig_nl", "sig_provincie", "sig_peer"):
            frame[column] = frame[column].fillna("").astype(str)
        insert_frame(PublishedValue, frame)
        all_branches = compared[compared["sbi_section"] == ""]
        signals.append(all_branches[SIGNAL_COLUMNS])
    cells = pd.concat(signals, ignore_index=True) if signals else pd.DataFrame(columns=SIGNAL_COLUMNS)
    found = comparisons.zoekgebieden(cells)
    if not found.empty:
        found = found.assign(release=release.id)
        found["signals"] = found["signals"].map(list)
        insert_frame(Zoekgebied, found[["release", "theme", "area_code", "level", "vintage", "year", "signals", "n_signals"]])
    profile = comparisons.opportunity(cells)
    if not profile.empty:
        parts = [c for c in profile.columns if c.startswith("z_")]
        profile["components"] = [
            {name[2:]: (None if pd.isna(v) else round(float(v), 4)) for name, v in zip(parts, row, strict=True)}
            for row in profile[parts].itertuples(index=False)
        ]
        profile = profile.assign(release=release.id)
        insert_frame(
            OpportunityProfile,
            profile[["release", "area_code", "level", "vintage", "year", "composite", "n_components", "components"]],
        )
    # The pages read these tables by release; plan them for the release just written.
    refresh_statistics(PublishedValue, Zoekgebied, OpportunityProfile)
    return with_totals


def build_release(*, sources: list[dict] | None = None) -> Release:
    """Copy the protected cells into a new, immutable release (not yet published).

    Only from protected cells whose disclosure audit passed: the latest disclosure report is the
    one that wrote them, and a failed one stops the build (AuditFailed)."""
    report = DisclosureReport.objects.order_by("-created_at", "-pk").first()
    if report is None:
        raise ValueError("no disclosure report: run disclosure control before building a release")
    raise_if_failed(report)
    with transaction.atomic():
        number = (Release.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        cells = ProtectedCell.objects.all()
        release = Release.objects.create(
            number=number,
            contains_synthetic=cells.filter(synthetic=True).exists(),
            synthetic_indicators=sorted(
                cells.filter(synthetic=True).order_by().values_list("indicator", flat=True).distinct()
            ),
            cell_count=cells.count(),
            suppressed_count=cells.filter(status__in=SUPPRESSED).count(),
            sources=sources or [],
            disclosure_report=report,
        )
        release.derived_indicators = _publish_values(release)
        # Against what the public sees now; before the first publication, the release before.
        previous = (
            Release.objects.filter(is_current=True).first()
            or Release.objects.filter(number__lt=number).order_by("-number").first()
        )
        release.changes = changes_between(release.id, previous.id if previous else None)
        release.changes["against"] = previous.number if previous else None
        release.save(update_fields=["changes", "cell_count", "derived_indicators"])
    record_event("release_built", f"release {release.number}", cells=release.cell_count, changes=release.changes)
    logger.info("built release %s: %s cells", release.number, release.cell_count)
    return release


def publish(release: Release, *, actor=None, action: str = "publish") -> Release:
    """Make this release the current one, atomically."""
    with transaction.atomic():
        Release.objects.select_for_update().filter(is_current=True).exclude(pk=release.pk).update(is_current=False)
        release.is_current = True
        release.status = Release.Status.PUBLISHED
        if release.published_at is None:
            release.published_at = timezone.now()
            release.published_by = actor
        release.save(update_fields=["is_current", "status", "published_at", "published_by"])
        # Pages read the current release from the cache: the new one must show once committed.
        transaction.on_commit(release_cache.forget_current_release)
    record_event(action, f"release {release.number}", actor=actor)
    return release


def rollback(number: int, *, actor=None) -> Release:
    """Make an earlier release current again (it is unchanged: releases are immutable)."""
    release = Release.objects.get(number=number)
    return publish(release, actor=actor, action="rollback")


def auto_publish_enabled() -> bool:
    return settings.RELEASES_AUTO_PUBLISH
