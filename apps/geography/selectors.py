"""Reads of the geography. Lists never load geometry; maps get it from the web files."""

import re

from django.conf import settings
from django.contrib.postgres.lookups import TrigramSimilar
from django.db import connection
from django.db.models import (
    Case, CharField, Expression, F, FloatField, Func, Q, QuerySet, Value, When,
)
from django.db.models.functions import Replace
from django.urls import reverse

from . import names
from .levels import LEVEL_ORDER, NEDERLAND_CODE, Level
from .models import Area, BoundaryImport, WebBoundaryFile
from .names import Match

SEARCH_LEVELS = (Level.GEMEENTE, Level.WIJK, Level.BUURT)


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
    """Gemeenten, wijken and buurten for what a visitor typed: a CBS code, a four-digit
    postcode, or a name. Case, accents and punctuation do not count, everyday names find their
    gemeente (``data/gemeente_aliases.csv``), and when no name contains the query, names like it
    do (trigram similarity: "Amsterdm" finds Amsterdam).

    Order: the code, then exact names, then names that contain the query (or, failing those,
    similar names), each gemeenten before wijken before buurten, then by similarity and name.
    Each area carries ``match`` (``names.Match``). PostgreSQL searches with pg_trgm and its
    trigram index; other databases with the indeling's names in memory (``names.NameIndex``).
    """
    query = query.strip()
    if not query:
        return []
    code = query.upper().replace(" ", "")
    if re.fullmatch(r"\d{4}([A-Z]{2})?", code):
        # A postcode (the letters are not needed): the buurten where it is the most common one.
        return list(
            _searchable(vintage)
            .filter(level=Level.BUURT, postcode=code[:4])
            .annotate(match=Value(Match.CONTAINS))
            .order_by("name", "code")[:limit]
        )
    key = names.normalise(query)
    if not key:  # nothing but punctuation
        return []
    if connection.vendor == "postgresql":
        hits = _search_in_sql(vintage, key, code, limit)
    else:
        index = _name_index(vintage)
        hits = index.search(key, code=code, exact_codes=names.alias_codes(key), limit=limit)
    # Parents only for the areas shown: joined to every candidate they cost more than the search.
    shown = _searchable(vintage).filter(code__in=[hit.code for hit in hits])
    found = {area.code: area for area in shown}
    for hit in hits:
        if hit.code in found:
            found[hit.code].match, found[hit.code].similarity = hit.match, hit.similarity
    return [found[hit.code] for hit in hits if hit.code in found]


def best_match(results: list[Area]) -> Area | None:
    """The result a search goes straight to: the code typed, the only result, or the only
    exact match at the highest level among the exact ones ("Den Haag", not a buurt of that
    name). A typo's guess is never gone to: the visitor sees what was found instead."""
    if not results or results[0].match == Match.SIMILAR:
        return None
    first = results[0]
    if first.match == Match.CODE or len(results) == 1:
        return first
    exact = [area for area in results if area.match == Match.EXACT]
    if exact and sum(area.level == exact[0].level for area in exact) == 1:
        return exact[0]
    return None


def _searchable(vintage: int) -> QuerySet[Area]:
    """Areas a search may find, with the parents a result list names, without geometry."""
    return (
        Area.objects.select_related("parent__parent")
        .defer("geometry", "parent__geometry", "parent__parent__geometry")
        .filter(vintage=vintage, level__in=SEARCH_LEVELS)
    )


# ---------------------------------------------------------------- PostgreSQL: pg_trgm


class SearchName(Expression):
    """An area's name in ``names.normalise``'s form: the column PostgreSQL generates from it
    (migration 0003; the model does not know it), which the trigram index holds."""

    output_field = CharField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(Area._meta.db_table)}.search_name", []


class Similarity(Func):
    """pg_trgm's ``similarity()`` (``names.similarity`` is the same measure)."""

    function = "similarity"
    output_field = FloatField()


def _level_order() -> Case:
    return Case(
        *(When(level=level, then=Value(LEVEL_ORDER.index(level))) for level in SEARCH_LEVELS)
    )


def _qualified_gemeenten(vintage: int, key: str) -> list[str]:
    """Gemeenten CBS tells apart by a qualifier whose name without it is the query: "Bergen"
    is Bergen (NH.) and Bergen (L.) (``NameIndex`` knows them from its names)."""
    qualified = Area.objects.filter(
        vintage=vintage, level=Level.GEMEENTE, name__endswith=")"
    ).order_by()
    return [
        code
        for code, name in qualified.values_list("code", "name")
        if names.compact(names.without_qualifier(name)) == key.replace(" ", "")
    ]


def _search_in_sql(vintage: int, key: str, code: str, limit: int) -> list[names.Hit]:
    """``names.NameIndex.search`` in SQL: the same tiers, order and threshold. Each condition
    that picks rows can use an index (the code's, the trigram index), so only those rows are
    ranked; a name spelt like the query without its spaces ("DenHaag") is among the similar."""
    exact_codes = [*names.alias_codes(key), *_qualified_gemeenten(vintage, key)]
    areas = Area.objects.filter(vintage=vintage, level__in=SEARCH_LEVELS).alias(
        search_name=SearchName()
    )
    similar = TrigramSimilar(F("search_name"), Value(key))  # ``%``: similarity ≥ 0.3 by default
    candidates = (
        Q(vintage=vintage, code=code)
        | Q(vintage=vintage, code__in=exact_codes)
        | Q(search_name__contains=key)
    )
    if len(key) >= names.SIMILAR_MIN_LENGTH:
        candidates |= similar
    matches = Case(
        When(code=code, then=Value(Match.CODE)),
        When(
            Q(code__in=exact_codes) | Q(compact_name=key.replace(" ", "")), then=Value(Match.EXACT)
        ),
        When(search_name__contains=key, then=Value(Match.CONTAINS)),
        default=None,
    )
    found = _ranked(
        areas.filter(candidates)
        .alias(compact_name=Replace("search_name", Value(" "), Value("")))
        .annotate(match=matches, similarity=Similarity("search_name", Value(key)))
        .filter(match__isnull=False),
        limit,
    )
    if found or len(key) < names.SIMILAR_MIN_LENGTH:
        return found
    # A typo: names like the query, or an everyday name like it.
    alias_scores = names.similar_alias_codes(key)
    score = Case(
        *(When(code=alias_code, then=Value(value)) for alias_code, value in alias_scores.items()),
        default=Similarity("search_name", Value(key)),
        output_field=FloatField(),
    )
    return _ranked(
        areas.filter(Q(vintage=vintage, code__in=list(alias_scores)) | similar)
        .annotate(similarity=score, match=Value(Match.SIMILAR)),
        limit,
    )


def _ranked(areas: QuerySet[Area], limit: int) -> list[names.Hit]:
    ranked = areas.order_by("match", _level_order(), "-similarity", "name", "code")
    return [
        names.Hit(code, Match(match), similarity)
        for code, match, similarity in ranked.values_list("code", "match", "similarity")[:limit]
    ]


# ---------------------------------------------------------------- other databases: in memory

_NAME_INDEXES: dict[int, tuple[tuple, names.NameIndex]] = {}


def _name_index(vintage: int) -> names.NameIndex:
    """The searchable names of an indeling, read once per process and again after an import
    (each writes a BoundaryImport) changed them."""
    imports = BoundaryImport.objects.filter(vintage=vintage).order_by("-id")
    searchable = Area.objects.filter(vintage=vintage, level__in=SEARCH_LEVELS)
    stamp = (imports.values_list("id", "imported_at").first(), searchable.count())
    cached = _NAME_INDEXES.get(vintage)
    if cached is None or cached[0] != stamp:
        rows = searchable.values_list("code", "level", "name")
        cached = _NAME_INDEXES[vintage] = (stamp, names.NameIndex(rows))
    return cached[1]


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
