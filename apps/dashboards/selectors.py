"""Reads for the public pages. Published figures come from the one reader of releases,
``apps.releases.selectors`` (passed on here under the names the pages use); this module adds the
reads of areas, zoekgebieden and the gelegenheidsstructuur the pages need beside them.

Every function here costs at most one query per call and a fixed number per page, whatever the
number of areas or indicators; results are plain values (picklable) kept under the release's
number (apps.releases.cache), so a warm page reads no table at all. Only published cells are read:
suppressed cells come without a value, as they are stored.
"""

from __future__ import annotations

from django.db.models import Q

from apps.comparisons.models import OpportunityProfile, Zoekgebied
from apps.geography.models import Area
from apps.releases.cache import per_release
from apps.releases.models import Release
from apps.releases.selectors import (  # noqa: F401  (the pages' names for the reader's reads)
    Cell,
    area_cells,
    cells_of_areas,
    in_scope,
    indicator_years,
    level_cells,
    section_values,
    theme_cells,
    years_at,
)

def area_names(*, vintage: int, level: str, scope: str) -> dict[str, str]:
    """{code: name} of the areas of a level inside a scope."""
    rows = Area.objects.filter(in_scope(level, scope), vintage=vintage, level=level).values_list("code", "name")
    return dict(rows)


def names_of(*, vintage: int, codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.filter(vintage=vintage, code__in=codes).values_list("code", "name"))


def zoekgebieden_within(release: Release, scope: str, *, levels: tuple[str, ...]) -> list[dict]:
    """The kansrijke zoekgebieden of the given levels inside (or equal to) an area."""

    def read():
        condition = Q(area_code=scope)
        for level in levels:
            condition |= in_scope(level, scope, field="area_code")
        rows = (
            Zoekgebied.objects.filter(condition, release=release, level__in=levels)
            .order_by("theme", "-year", "-n_signals", "area_code")
            .values("theme", "area_code", "level", "year", "signals", "n_signals")
        )
        return list(rows)

    return per_release(release, f"zoekgebieden:{scope}:{','.join(levels)}", read)


def theme_zoekgebieden(release: Release, *, theme: str, level: str) -> list[dict]:
    def read():
        rows = (
            Zoekgebied.objects.filter(release=release, theme=theme, level=level)
            .order_by("-year", "-n_signals", "area_code")
            .values("area_code", "year", "signals", "n_signals")
        )
        return list(rows)

    return per_release(release, f"theme-zoekgebieden:{theme}:{level}", read)


def opportunity(release: Release, code: str) -> dict | None:
    """The latest gelegenheidsstructuur of an area."""

    def read():
        return (
            OpportunityProfile.objects.filter(release=release, area_code=code)
            .order_by("-year")
            .values("year", "composite", "n_components", "components")
            .first()
        )

    return per_release(release, f"opportunity:{code}", read)
