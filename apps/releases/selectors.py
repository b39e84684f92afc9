from django.db.models import Count, Q

from apps.core.area_codes import LEVEL_PREFIX
from apps.geography.models import Area

from .models import PublishedValue, Release


def current_release() -> Release | None:
    return Release.objects.filter(is_current=True).first()


def release_list():
    return Release.objects.order_by("-number")


def published_release(number: int) -> Release | None:
    """A release the public may read: published at some time (the current one or an earlier
    one kept for reference); never one still waiting for a steward."""
    return Release.objects.filter(number=number, status=Release.Status.PUBLISHED).first()


def map_values(*, release: Release, indicator: str, level: str, year: int, within: str = "") -> dict:
    """``{area code: [value, status, percentile, significance against Nederland]}`` of one
    indicator, level and year (all branches), optionally only the areas inside ``within`` (a
    gemeente or provincie code): the small file a map joins to its boundaries by code.
    Suppressed cells have no value, only their status code."""
    values = PublishedValue.objects.filter(
        release=release, indicator=indicator, year=year, sbi_section="", area_code__startswith=LEVEL_PREFIX[level]
    )
    if within:
        areas = Area.objects.filter(level=level).filter(
            Q(parent__code=within) | Q(parent__parent__code=within) | Q(parent__parent__parent__code=within)
        )
        # A list, not a subquery: see apps/dashboards/selectors._in_scope (PostgreSQL's plan).
        values = values.filter(area_code__in=list(areas.values_list("code", flat=True)))
    rows = values.values_list("area_code", "value", "status", "percentile", "sig_nl").order_by("area_code")
    return {
        code: [None if value is None else round(value, 4), status,
               None if percentile is None else round(percentile, 1), sig]
        for code, value, status, percentile, sig in rows
    }


def published_counts(*, release: Release, year: int, indicators: list[str], code_prefix: str) -> dict[str, int]:
    """Per indicator, how many areas whose code starts with ``code_prefix`` have a published
    (not withheld) value in ``year`` (all branches)."""
    return dict(
        PublishedValue.objects.filter(release=release, year=year, sbi_section="", indicator__in=indicators,
                                      area_code__startswith=code_prefix, value__isnull=False)
        .order_by().values("indicator").annotate(published=Count("pk")).values_list("indicator", "published")
    )
