"""Reads of the geography. Lists never load geometry; maps get it from the web files."""

import re

from django.conf import settings
from django.db.models import Case, Q, QuerySet, Value, When
from django.urls import reverse

from .levels import NEDERLAND_CODE, Level
from .models import Area, WebBoundaryFile

SEARCH_LEVELS = (Level.GEMEENTE, Level.WIJK, Level.BUURT)
_LEVEL_RANK = {Level.GEMEENTE: 0, Level.WIJK: 1, Level.BUURT: 2}


def default_vintage() -> int:
    return settings.GEO_DEFAULT_VINTAGE


def area_detail(*, code: str, vintage: int) -> Area | None:
    """One area with its ancestors (up to Nederland) joined in the same query."""
    # The parents' boundaries too stay unread: Nederland's alone is megabytes.
    chain = ["geometry", "parent__geometry", "parent__parent__geometry", "parent__parent__parent__geometry",
             "parent__parent__parent__parent__geometry"]
    return (
        Area.objects.select_related("parent__parent__parent__parent")
        .defer(*chain)
        .filter(vintage=vintage, code=code.upper())
        .first()
    )


def ancestors(area: Area) -> list[Area]:
    """The area's parents from the top down (uses the joins of area_detail)."""
    chain = []
    parent = area.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    return chain[::-1]


def children(area: Area) -> QuerySet[Area]:
    return area.children.defer("geometry").order_by("name", "code")


def within_gemeente(gemeente_code: str, *, vintage: int, levels=(Level.WIJK, Level.BUURT)) -> QuerySet[Area]:
    """The wijken and buurten of a gemeente in an indeling, by level and name, without geometry.
    From the lookup's parents, so a re-coded or merged area counts where the indeling puts it."""
    return (
        Area.objects.defer("geometry")
        .filter(vintage=vintage, level__in=levels)
        .filter(Q(parent__code=gemeente_code) | Q(parent__parent__code=gemeente_code))
        .order_by("level", "name", "code")
    )


def gemeenten(*, vintage: int) -> QuerySet[Area]:
    return (
        Area.objects.select_related("parent")
        .defer("geometry", "parent__geometry")
        .filter(vintage=vintage, level=Level.GEMEENTE)
        .order_by("name")
    )


def web_boundary_urls(*, vintage: int, level: Level, scopes: list[str]) -> dict[str, str]:
    """{scope: URL} of the web boundary files that exist for a level and these scopes."""
    files = WebBoundaryFile.objects.filter(vintage=vintage, level=level, scope__in=scopes)
    return {
        item.scope: reverse("geography:web-boundary-file", args=[item.file_name]) for item in files
    }


def national_gemeente_map_url(*, vintage: int) -> str | None:
    return web_boundary_urls(vintage=vintage, level=Level.GEMEENTE, scopes=[NEDERLAND_CODE]).get(
        NEDERLAND_CODE
    )


def search_areas(*, query: str, vintage: int, limit: int = 25) -> list[Area]:
    """Gemeenten, wijken and buurten whose code is the query or whose name contains it.

    An exact code comes first, then exact names, then gemeenten before wijken before buurten.
    """
    query = query.strip()
    if not query:
        return []
    code = query.upper().replace(" ", "")
    if re.fullmatch(r"\d{4}([A-Z]{2})?", code):
        # A postcode (the letters are not needed): the buurten where it is the most common one.
        return list(
            Area.objects.select_related("parent__parent")
            .defer("geometry", "parent__geometry", "parent__parent__geometry")
            .filter(vintage=vintage, level=Level.BUURT, postcode=code[:4])
            .order_by("name", "code")[:limit]
        )
    return list(
        Area.objects.select_related("parent__parent")
        .defer("geometry", "parent__geometry", "parent__parent__geometry")
        .filter(vintage=vintage, level__in=SEARCH_LEVELS)
        .filter(Q(code=code) | Q(name__icontains=query))
        .annotate(
            code_rank=Case(When(code=code, then=Value(0)), default=Value(1)),
            name_rank=Case(When(name__iexact=query, then=Value(0)), default=Value(1)),
            level_rank=Case(
                *(When(level=level, then=Value(rank)) for level, rank in _LEVEL_RANK.items()),
                default=Value(9),
            ),
        )
        .order_by("code_rank", "name_rank", "level_rank", "name", "code")[:limit]
    )


def gemeente_of(area: Area) -> Area | None:
    """The gemeente an area lies in (itself for a gemeente), from the joined parents."""
    node = area
    while node is not None and node.level not in (Level.GEMEENTE,):
        node = node.parent
    return node


def area_codes(*, vintage: int) -> set[str] | None:
    """Every area code of an indeling, or None when that indeling is not loaded."""
    codes = set(Area.objects.filter(vintage=vintage).values_list("code", flat=True))
    return codes or None


def parent_codes(*, vintage: int) -> dict[str, str]:
    """``{area code: parent's code}`` of an indeling (buurt → wijk → … → Nederland)."""
    return dict(
        Area.objects.filter(vintage=vintage, parent__isnull=False).values_list("code", "parent__code")
    )
