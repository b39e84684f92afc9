"""Releases: build an immutable release from the protected cells, publish it, roll back.

Publishing flips the one current release inside a transaction, so a reader sees either the old
release or the new one, never a mix.
"""

import logging

import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.bulk import read_frame
from apps.core.services import record_event
from apps.disclosure.models import SUPPRESSED, ProtectedCell

from .models import PublishedValue, Release

logger = logging.getLogger(__name__)

KEY = ["indicator", "area_code", "year", "sbi_section"]


def _values(release_id: int | None, indicator: str | None = None) -> pd.DataFrame:
    columns = ["indicator", "area_code", "year", "sbi_section", "value", "status"]
    if release_id is None:
        return pd.DataFrame(columns=columns)
    values = PublishedValue.objects.filter(release_id=release_id)
    if indicator is not None:
        values = values.filter(indicator=indicator)
    frame = read_frame(values, columns)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame


CHANGE_KEYS = ("added", "removed", "changed", "newly_suppressed", "no_longer_suppressed")


def changes_between(new_id: int, old_id: int | None) -> dict:
    """``compare`` of two stored releases, one indicator at a time (a national release holds
    millions of cells; two of them at once would not fit the memory budget)."""
    ids = [new_id] if old_id is None else [new_id, old_id]
    rows = PublishedValue.objects.filter(release_id__in=ids).values_list("indicator", flat=True)
    indicators = sorted(set(rows.order_by().distinct()))
    totals = dict.fromkeys(CHANGE_KEYS, 0)
    for indicator in indicators:
        part = compare(_values(new_id, indicator), _values(old_id, indicator))
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


def build_release(*, sources: list[dict] | None = None) -> Release:
    """Copy the protected cells into a new, immutable release (not yet published)."""
    with transaction.atomic():
        number = (Release.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        cells = ProtectedCell.objects.all()
        release = Release.objects.create(
            number=number,
            contains_synthetic=cells.filter(synthetic=True).exists(),
            cell_count=cells.count(),
            suppressed_count=cells.filter(status__in=SUPPRESSED).count(),
            sources=sources or [],
        )
        table = connection.ops.quote_name(PublishedValue._meta.db_table)
        source = connection.ops.quote_name(ProtectedCell._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (release_id, indicator, area_code, vintage, year, sbi_section, value, status) "
                f"SELECT %s, indicator, area_code, vintage, year, sbi_section, value, status FROM {source}",
                [release.id],
            )
        # Against what the public sees now; before the first publication, the release before.
        previous = (
            Release.objects.filter(is_current=True).first()
            or Release.objects.filter(number__lt=number).order_by("-number").first()
        )
        release.changes = changes_between(release.id, previous.id if previous else None)
        release.changes["against"] = previous.number if previous else None
        release.save(update_fields=["changes"])
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
    record_event(action, f"release {release.number}", actor=actor)
    return release


def rollback(number: int, *, actor=None) -> Release:
    """Make an earlier release current again (it is unchanged: releases are immutable)."""
    release = Release.objects.get(number=number)
    return publish(release, actor=actor, action="rollback")


def auto_publish_enabled() -> bool:
    return settings.RELEASES_AUTO_PUBLISH
