"""What an active layer's page shows: the map of the gemeente's buurten or wijken coloured by
the layer's values (the portal's map script and quantile classes), its legend, and a table of
every area with the layer's value beside a portal indicator's *published* value."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.dashboards import figures, formatting
from apps.dashboards import pages as dashboard_pages
from apps.dashboards import selectors as dashboard_selectors
from apps.geography import selectors as geography
from apps.core.area_codes import LEVEL_PREFIX
from apps.geography.levels import Level, descendant_prefixes
from apps.indicators import registry
from apps.releases import selectors as release_selectors

from . import selectors
from .models import DataLayer

MAX_DIGITS = 2


@dataclass
class AreaRow:
    code: str
    name: str
    value: float | None
    value_text: str
    map_class: int | None
    indicator_text: str
    indicator_status: str  # "" (no indicator), "V" published, a withheld code, or "N"

    @property
    def indicator_withheld(self) -> bool:
        return self.indicator_status in formatting.SUPPRESSED_CODES


def digits_of(values) -> int:
    """Whole numbers show none; otherwise as many as the figures need, at most two."""
    for digits in range(MAX_DIGITS + 1):
        if all(math.isclose(round(v, digits), v, abs_tol=1e-9) for v in values):
            return digits
    return MAX_DIGITS


def classes(values: dict[str, float]) -> dict:
    """Quantile classes as the portal's maps make them (same breaks, same colours)."""
    breaks = figures.class_breaks(values.values())
    colours = list(dashboard_pages.MAP_COLOURS[-len(breaks):]) if breaks else []
    return {"breaks": breaks, "colours": colours}


def legend(map_classes: dict, values: dict[str, float], area_codes: list[str], digits: int) -> list[dict]:
    """Items for dashboards/includes/legend.html: each class with its range and count, then the
    areas without a value."""
    breaks, colours = map_classes["breaks"], map_classes["colours"]
    counts = [0] * len(breaks)
    for value in values.values():
        counts[figures.class_of(value, breaks)] += 1
    items, lower = [], None
    for i, (bound, colour) in enumerate(zip(breaks, colours, strict=True)):
        upper = formatting.number(bound, digits)
        text = (_("up to %(upper)s") % {"upper": upper} if lower is None else
                _("more than %(lower)s, up to %(upper)s") % {"lower": formatting.number(lower, digits), "upper": upper})
        items.append({"kind": "class", "number": i + 1, "swatch": dashboard_pages.MAP_COLOURS.index(colour) + 1,
                      "colour": colour, "text": text, "count": counts[i]})
        lower = bound
    missing = sum(1 for code in area_codes if code not in values)
    items.append({"kind": "missing", "text": _("no value"), "count": missing})
    return items


def map_config(layer: DataLayer, *, year: int, map_classes: dict) -> dict:
    """The configuration static/js/area-map.js reads: the gemeente's boundary file of the layer's
    level, the layer's values URL (plain {code: value}), the classes. An area leads to its row in
    the table below the map."""
    gemeente = layer.organisation.area_code
    url = geography.web_boundary_urls(vintage=layer.vintage, level=Level(layer.level), scopes=[gemeente]).get(gemeente)
    if not url or not map_classes["breaks"]:
        return {"layers": []}
    values_url = reverse("datalayers:layer-values", args=[layer.pk]) + f"?jaar={year}"
    return {"layers": [{
        "url": url, "link": "#area-{code}", "parent": None, "values": values_url, "plainValues": True,
        "breaks": map_classes["breaks"], "colours": map_classes["colours"],
    }]}


def indicator_choices(layer: DataLayer, release) -> list[tuple[str, str]]:
    """The portal's indicators published at the layer's level, by name."""
    if release is None:
        return []
    years = dashboard_selectors.indicator_years(release)
    found = [(d.slug, dashboard_pages.name(d)) for d in registry.all_indicators()
             if layer.level in d.levels and d.slug in years]
    return sorted(found, key=lambda item: item[1].lower())


def most_published_indicator(layer: DataLayer, release, *, year: int, slugs: list[str]) -> str:
    """Of ``slugs``, the indicator with the most published (not withheld) values for the layer's
    areas in ``year``: the default beside the layer, so the table compares rather than shows
    "secret" in every row. One query."""
    if release is None or not slugs:
        return ""
    prefixes = descendant_prefixes(layer.organisation.area_code)
    prefix = next((p for p in prefixes if p.startswith(LEVEL_PREFIX[layer.level])), None)
    if prefix is None:
        return ""
    counts = release_selectors.published_counts(release=release, year=year, indicators=slugs, code_prefix=prefix)
    return max(slugs, key=lambda slug: (counts.get(slug, 0), -slugs.index(slug))) if counts else ""


def indicator_years(release, slug: str) -> list[int]:
    if release is None or not slug:
        return []
    return dashboard_selectors.indicator_years(release).get(slug, [])


def area_rows(layer: DataLayer, *, year: int, layer_values: dict[str, float], map_classes: dict, digits: int,
              release, indicator: str) -> list[AreaRow]:
    """Every area of the layer's level in its gemeente (and any code of the layer the indeling
    no longer names), with the layer's value and the indicator's published value of the year."""
    gemeente = layer.organisation.area_code
    names = dashboard_selectors.area_names(vintage=layer.vintage, level=layer.level, scope=gemeente)
    for code in layer_values:
        names.setdefault(code, code)
    definition = registry.find(indicator) if indicator else None
    published = {}
    if definition is not None and release is not None:
        published = release_selectors.map_values(release=release, indicator=definition.slug, level=layer.level,
                                                 year=year, within=gemeente)
    rows = []
    for code, area_name in sorted(names.items(), key=lambda item: (item[1], item[0])):
        value = layer_values.get(code)
        klass = figures.class_of(value, map_classes["breaks"]) + 1 if value is not None and map_classes["breaks"] else None
        text, status = "", ""
        if definition is not None:
            cell = published.get(code)
            status = cell[1] if cell else "N"
            # value_text gives the word "secret" for a withheld cell, never its number.
            text = formatting.value_text(definition, cell[0] if cell else None, status)
        rows.append(AreaRow(code, area_name, value, formatting.number(value, digits) if value is not None
                            else _("no value"), klass, text, status))
    return rows


def default_year(layer: DataLayer, asked: str | None) -> int | None:
    years = layer.years or []
    if asked and asked.isdigit() and int(asked) in years:
        return int(asked)
    return years[-1] if years else None


def layer_values(layer: DataLayer, year: int) -> dict[str, float]:
    return selectors.values(layer, year=year)
