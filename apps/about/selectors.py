"""What the information pages read: the registries, the comparison defaults, a few settings.

The methodology page is generated from the registries the pipeline itself uses (source kinds,
indicator definitions) and from the defaults of the comparison functions, so it cannot drift
from what the portal computes.

Disclosure control (BRIEF §5 rule 1): of the stewards' parameters only those a visitor can work
out from the published tables anyway leave this module: the frequency threshold (visible from
the cells marked A), the rounding base (every published count is a multiple of it) and the
minimum denominators (visible from the cells marked T; they are part of each indicator's
definition). The dominance and p%-rule parameters, the protection ranges and the rounding key
are never read into anything a template could show.
"""

from __future__ import annotations

import inspect
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlsplit

from django.apps import apps as django_apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.comparisons import compute, opportunity, zoekgebieden
from apps.comparisons import services as comparisons
from apps.disclosure import codes
from apps.disclosure.services import current_parameters
from apps.geography.levels import Level
from apps.indicators import registry
from apps.sources.kinds import Shape, all_kinds

#: The day the accessibility statement was drawn up or last reviewed in full.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 25)

#: The language the registries are written in (definitions, units, source labels).
REGISTRY_LANGUAGE = "nl"

KIND_LABELS = {
    "count": _("count"),
    "share": _("share"),
    "rate": _("rate"),
    "mean": _("mean"),
    "sum": _("sum of amounts"),
}
DIRECTION_LABELS = {
    1: _("higher value = more risk"),
    -1: _("lower value = more risk"),
    0: _("context figure"),
}
SHAPE_LABELS = {
    Shape.OBSERVATIONS: _("published figures"),
    Shape.RECORDS: _("record-level extract"),
    Shape.BOUNDARIES: _("boundaries"),
}
# The theme apps name their theme in Dutch (AppConfig.verbose_name); these are the English
# names. A theme missing here shows its Dutch name, marked as Dutch.
THEME_NAMES_EN = {
    "context": "Context",
    "vastgoed": "Misuse of real estate",
    "drugs": "Drug-related crime",
    "transacties": "Suspicious transactions",
    "branches": "Sector analyses",
}


def _language(language: str | None) -> str:
    return (language or REGISTRY_LANGUAGE).split("-")[0].lower()


def _number(value):
    """20.0 → 20; keeps real fractions."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _level_labels(levels) -> list:
    return [Level(level).label for level in levels]


# ---------------------------------------------------------------- sources


@dataclass(frozen=True)
class SourceRow:
    slug: str
    label: str
    shape: str
    shape_label: str
    synthetic: bool  # record-level extracts: synthetic in the demo
    indicators: list[tuple[str, str]]  # (slug, name) of the indicators computed from it


def sources(language: str | None = None) -> list[SourceRow]:
    """Every source kind a steward can upload, in registry order."""
    english = _language(language) == "en"
    names = {d.slug: (d.name_en if english else d.name_nl) for d in registry.all_indicators()}
    return [
        SourceRow(
            slug=kind.slug,
            label=kind.label,
            shape=kind.shape,
            shape_label=SHAPE_LABELS.get(kind.shape, kind.shape),
            synthetic=kind.shape == Shape.RECORDS,
            indicators=[(slug, names[slug]) for slug in kind.indicators if slug in names],
        )
        for kind in all_kinds()
    ]


# ---------------------------------------------------------------- indicators


@dataclass(frozen=True)
class IndicatorRow:
    slug: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    kind: str
    direction: str
    sources: list[str]
    min_denominator: float | int | None
    levels: list
    section_levels: list  # empty unless the indicator is also given per SBI section
    caveat: str  # '' when it is the theme's caveat (or the general one)
    from_extracts: bool


@dataclass(frozen=True)
class ThemeTable:
    slug: str
    name: str
    name_language: str  # the language ``name`` is in
    indicators: list[IndicatorRow] = field(default_factory=list)
    caveat: str = ""  # the caveat most indicators of the theme share, when not the general one


def theme_name(theme: str, language: str | None = None) -> tuple[str, str]:
    """(name, language of the name) of a theme: its app's verbose name in Dutch."""
    if _language(language) == "en" and theme in THEME_NAMES_EN:
        return THEME_NAMES_EN[theme], "en"
    try:
        return str(django_apps.get_app_config(theme).verbose_name), REGISTRY_LANGUAGE
    except LookupError:
        return theme.capitalize(), REGISTRY_LANGUAGE


def _theme_caveat(rows: list[IndicatorRow]) -> str:
    """The special caveat most indicators of a theme share (at least two and over half), else ''."""
    special = Counter(row.caveat for row in rows if row.caveat not in (registry.CAVEAT, registry.CAVEAT_EN))
    if not special:
        return ""
    caveat, count = special.most_common(1)[0]
    return caveat if count >= 2 and count * 2 > len(rows) else ""


def indicator_tables(language: str | None = None) -> list[ThemeTable]:
    """One table per theme with every registered indicator, in registry order."""
    lang = _language(language)
    labels = {kind.slug: kind.label for kind in all_kinds()}
    tables = []
    for theme in registry.themes():
        name, name_language = theme_name(theme, language)
        rows = [
            IndicatorRow(
                slug=d.slug,
                name=d.localized("name", lang),
                definition=d.localized("definition", lang),
                numerator=d.localized("numerator", lang),
                denominator=d.localized("denominator", lang),
                unit=d.localized("unit", lang),
                kind=KIND_LABELS.get(d.kind, d.kind),
                direction=DIRECTION_LABELS.get(d.direction, ""),
                sources=[labels.get(slug, slug) for slug in d.sources],
                min_denominator=_number(d.min_denominator),
                levels=_level_labels(d.levels),
                section_levels=_level_labels(d.section_levels) if d.by_sbi_section else [],
                caveat=d.localized("caveat", lang),
                from_extracts=d.from_extracts,
            )
            for d in registry.of_theme(theme)
        ]
        caveat = _theme_caveat(rows)
        # The theme's caveat is said once above the table; a row shows its own only when it
        # differs (the general caveat is on every page already, so a row without a theme caveat
        # leaves it out).
        rows = [
            replace(row, caveat="" if row.caveat in ({caveat} if caveat else {registry.CAVEAT, registry.CAVEAT_EN})
                    else row.caveat)
            for row in rows
        ]
        tables.append(
            ThemeTable(
                slug=theme, name=name, name_language=name_language, indicators=rows, caveat=caveat
            )
        )
    return tables


def indicator_name(slug: str, language: str | None = None) -> str:
    definition = registry.get(slug)
    return definition.name_en if _language(language) == "en" else definition.name_nl


# ---------------------------------------------------------------- comparisons


def _defaults(function) -> dict:
    return {
        name: parameter.default
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }


def _size_classes(edges) -> list[tuple[int | None, int | None]]:
    bounds = [None, *edges, None]
    return list(zip(bounds[:-1], bounds[1:]))


def comparison_facts(language: str | None = None) -> dict:
    """The numbers behind the comparisons, zoekgebieden and gelegenheidsstructuur.

    The release build calls ``compare`` and ``search_areas`` with their defaults
    (apps.comparisons.services), so their defaults are the values in use.
    """
    registered = {d.slug for d in registry.all_indicators()}
    compare = _defaults(compute.compare)
    search = _defaults(zoekgebieden.search_areas)
    alpha = float(compare["alpha"])
    percentile = _number(search["percentile"])
    return {
        "neighbours": compare["k"],
        "alpha_percent": _number(round(alpha * 100, 2)),
        "confidence_percent": _number(round((1 - alpha) * 100, 2)),
        "min_others": compute.MIN_OTHERS,
        "knn_features": [
            indicator_name(slug, language)
            for slug in comparisons.KNN_FEATURES
            if slug in registered
        ],
        "gemeente_size_classes": _size_classes(compute.GEMEENTE_SIZE_EDGES),
        "local_size_classes": _size_classes(compute.LOCAL_SIZE_EDGES),
        "search_min_signals": search["min_signals"],
        "search_percentile": percentile,
        "search_top_percent": _number(100 - percentile),
        "search_levels": _level_labels(zoekgebieden.LEVELS),
        "opportunity_components": [
            {"slug": slug, "name": indicator_name(slug, language), "direction": sign}
            for slug, sign in comparisons.OPPORTUNITY_COMPONENTS.items()
            if slug in registered
        ],
        "opportunity_min_values": opportunity.MIN_VALUES,
    }


# ---------------------------------------------------------------- disclosure control


def status_codes() -> dict[str, str]:
    """The letters of the cell status codes, by meaning."""
    return {
        "safe": codes.SAFE,
        "frequency": codes.FREQUENCY,
        "dominance": codes.DOMINANCE,
        "denominator": codes.DENOMINATOR,
        "secondary": codes.SECONDARY,
        "secret_at_source": codes.SECRET_AT_SOURCE,
        "not_available": codes.NOT_AVAILABLE,
    }


def published_disclosure_facts() -> dict:
    """Only the disclosure facts that may be published (see the module docstring).

    The other parameters are read together with these (one query) but dropped here, so no
    template can ever reach them.
    """
    parameters = current_parameters()
    base = int(parameters.rounding_base)
    minima = sorted(
        {d.min_denominator for d in registry.all_indicators() if d.min_denominator is not None}
    )
    # A worked example of the unbiased rounding: x = 2·base + r rounds up with probability r/base.
    residual = max(1, round(base * 0.4)) if base > 2 else 0
    example = (
        {
            "value": 2 * base + residual,
            "down": 2 * base,
            "up": 3 * base,
            "up_percent": _number(round(residual / base * 100, 1)),
            "down_percent": _number(round(100 - residual / base * 100, 1)),
        }
        if residual
        else None
    )
    return {
        "frequency_threshold": int(parameters.frequency_min_contributors),
        "rounding_base": base,
        "rounding_example": example,
        "min_denominators": [_number(value) for value in minima],
        "codes": status_codes(),
    }


# ---------------------------------------------------------------- visitors, contact


REFERRER_POLICIES_HIDING_PAGE = {"no-referrer", "same-origin", "strict-origin", "origin"}


def _days(seconds) -> int | None:
    return None if seconds is None else max(1, round(seconds / 86400))


def visitor_facts() -> dict:
    """The cookies the portal sets and the one outside party a visitor's browser contacts."""
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session_days": _days(settings.SESSION_COOKIE_AGE),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_days": _days(settings.CSRF_COOKIE_AGE),
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        "language_days": _days(settings.LANGUAGE_COOKIE_AGE),
        "tile_host": urlsplit(settings.PDOK_TILE_URL).hostname,
        # With these policies the browser tells no other site which page of Zicht is open.
        "referrer_hidden": settings.SECURE_REFERRER_POLICY in REFERRER_POLICIES_HIDING_PAGE,
    }


def contact_email() -> str:
    return settings.CONTACT_EMAIL


def accessibility_statement_date() -> date:
    return ACCESSIBILITY_STATEMENT_DATE
