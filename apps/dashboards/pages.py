"""What each public page shows, built from the selectors' cells: its tables (which the downloads
write as they are), its charts and its map. Views call one function here and render the result."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.geography import selectors as geography
from apps.geography.levels import NEDERLAND_CODE, Level, level_of_code
from apps.indicators import registry
from apps.indicators.registry import IndicatorDefinition
from apps.releases.models import Release
from apps.sources.kinds import get_kind

from . import charts, figures, formatting, selectors, sentences, themes
from .selectors import Cell
from .links import area_page_url, drill_link
from .tables import Column, PageTable, Value

LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.nl)"


def definitions() -> dict[str, IndicatorDefinition]:
    return {definition.slug: definition for definition in registry.all_indicators()}


def name(definition: IndicatorDefinition) -> str:
    return definition.localized("name", get_language() or "nl")


def text(definition: IndicatorDefinition, field: str) -> str:
    """An indicator's unit, definition, numerator, denominator or caveat in the page's language."""
    return definition.localized(field, get_language() or "nl")


def indicator_url(slug: str, scope: str = NEDERLAND_CODE, **query) -> str:
    url = reverse("dashboards:indicator", args=[slug]) if scope == NEDERLAND_CODE else reverse(
        "dashboards:indicator-area", args=[slug, scope]
    )
    params = "&".join(f"{key}={value}" for key, value in query.items() if value)
    return f"{url}?{params}" if params else url


def is_synthetic(release: Release, definition: IndicatorDefinition) -> bool:
    """The indicator has cells counted from synthetic records in this release. A release built
    before that was recorded per indicator: every extract-based figure, to be safe."""
    if release.synthetic_indicators:
        return definition.slug in release.synthetic_indicators
    return release.contains_synthetic and definition.from_extracts


def source_labels(definition: IndicatorDefinition) -> str:
    labels = []
    for slug in definition.sources:
        try:
            labels.append(get_kind(slug).label)
        except ValueError:
            labels.append(slug)
    return "; ".join(labels)


def about(release: Release, caption: str, used: list[IndicatorDefinition]) -> list[tuple[str, str]]:
    """The explanation a download carries above its numbers."""
    published = date_format(release.published_at, "DATE_FORMAT") if release.published_at else ""
    rows = [
        (_("Table"), caption),
        (_("Release"), f"{release.number} ({published})" if published else str(release.number)),
        (_("Licence"), LICENCE),
        (_("Publisher"), "Zicht"),
    ]
    for definition in used:
        rows.append((name(definition), text(definition, "definition")))
        rows.append((_("Unit"), text(definition, "unit")))
        rows.append((_("Source"), source_labels(definition)))
        if is_synthetic(release, definition):
            rows.append((_("Synthetic data"), _("This figure rests on synthetic records made for the demonstration, not on real cases.")))
        if definition.slug in (release.derived_indicators or []):
            rows.append((_("Derived"), _("Where the source publishes no figure for the Netherlands or a province, it is "
                                         "the sum of the gemeenten (a rate: the sum of the numerators over the sum of "
                                         "the denominators).")))
    if used:
        rows.append((_("Caveat"), text(used[0], "caveat")))
    rows.append((_("Significance"), _("1 significantly higher, -1 significantly lower, 0 no significant difference (exact test at the 5 percent level)")))
    for code, label in formatting.STATUS_LABELS.items():
        rows.append((_("Status %(code)s") % {"code": code}, str(label)))
    return rows


# ---------------------------------------------------------------- shared row builders


def value_cell(definition: IndicatorDefinition, cell: Cell | None) -> Value:
    """A value as a table shows it; a cell without one says why in words, with its status
    symbol (explained in the table's legend)."""
    if cell is None:
        return Value(None, "")
    # Four decimals, as the map files: more would be noise from the division of rounded counts.
    raw = round(cell.value, 4) if cell.published else None
    return Value(raw, derived_note(cell, formatting.value_or_reason(definition, cell.value, cell.status)),
                 symbol=formatting.status_symbol(cell.value, cell.status))


def derived_note(cell: Cell | None, text: str) -> str:
    """A figure summed from the gemeenten (apps.releases.derived) says so wherever it is shown."""
    if cell is not None and cell.derived and cell.published:
        return _("%(value)s (derived: sum of the gemeenten)") % {"value": text}
    return text


def missing_cell() -> Value:
    """An area the release has no cell for: not available."""
    return Value(None, str(formatting.NOT_AVAILABLE), symbol="N")


def status_cell(cell: Cell | None) -> Value:
    if cell is None:
        return Value(None, "")
    return Value(cell.status, formatting.status_text(cell.status))


def index_cell(index: float | None) -> Value:
    return Value(None if index is None else round(index, 1), formatting.index_text(index))


SIGNIFICANCE_NUMBERS = {"+": 1, "-": -1, "=": 0}


def sig_cell(sig: str, index: float | None = None) -> Value:
    """The significance in words, with the index beside it on the page ("higher (132)")."""
    text = formatting.significance_text(sig)
    if text and index is not None:
        text = f"{text} ({formatting.index_text(index)})"
    # Written as a number in downloads (1 higher, -1 lower, 0 no significant difference): a
    # bare "+", "-" or "=" would read as the start of a formula in a spreadsheet.
    return Value(SIGNIFICANCE_NUMBERS.get(sig), text)


# ---------------------------------------------------------------- area profile


@dataclass
class IndicatorRow:
    definition: IndicatorDefinition
    name: str
    latest: Cell | None
    nederland: Cell | None
    provincie: Cell | None
    trend: list[Cell]
    chart: str = ""
    trend_table: PageTable | None = None
    synthetic: bool = False
    url: str = ""


@dataclass
class ThemeBlock:
    theme: str
    label: str
    rows: list[IndicatorRow] = field(default_factory=list)
    table: PageTable | None = None


def profile_columns() -> list[Column]:
    return [
    Column(_("Indicator")), Column(_("Year"), numeric=True), Column(_("Value"), numeric=True),
    Column(_("Status"), download_only=True), Column(_("Unit")),
    Column(_("Netherlands"), numeric=True), Column(_("Index (Netherlands = 100)"), numeric=True, download_only=True),
    Column(_("Against the Netherlands")), Column(_("Province"), numeric=True),
    Column(_("Against the province"), download_only=True),
    Column(_("Index (similar areas = 100)"), numeric=True, download_only=True),
    Column(_("Against similar areas")), Column(_("Change on the year before"), numeric=True),
    ]


def labelled_name(release: Release, definition: IndicatorDefinition) -> str:
    """The indicator's name, with "(synthetic)" where its figures rest on synthetic records:
    every figure that does says so, in the page and in the download."""
    if is_synthetic(release, definition):
        return f"{name(definition)} ({formatting.SYNTHETIC})"
    return name(definition)


def _profile_row(release, definition, cell: Cell, nederland: Cell | None, provincie: Cell | None,
                 url: str) -> list[Value]:
    label = labelled_name(release, definition)
    return [
        Value(label, label, url),
        Value.plain(cell.year),
        value_cell(definition, cell),
        status_cell(cell),
        Value.plain(text(definition, "unit")),
        value_cell(definition, nederland),
        index_cell(cell.index_nl),
        sig_cell(cell.sig_nl, cell.index_nl),
        value_cell(definition, provincie),
        sig_cell(cell.sig_provincie, cell.index_provincie),
        index_cell(cell.index_peer),
        sig_cell(cell.sig_peer, cell.index_peer),
        Value(None if cell.change_pct is None else round(cell.change_pct, 1),
              formatting.change_text(cell.change_pct, cell.series_break)),
    ]


def area_profile(release: Release, area, *, provincie_code: str | None) -> dict:
    """All themes of one area: per indicator the latest value against Nederland, the province and
    similar areas, its trend, what stands out, and the zoekgebieden inside it."""
    defs = definitions()
    own = figures.by_indicator(selectors.area_cells(release, area.code))
    reference_codes = [NEDERLAND_CODE] + ([provincie_code] if provincie_code and provincie_code != area.code else [])
    references = selectors.cells_of_areas(release, reference_codes)
    lookup = {(c.area_code, c.indicator, c.year): c for c in references}
    trend_references = ([(provincie_code, _("Province"))] if provincie_code else []) + (
        [(NEDERLAND_CODE, _("Netherlands"))] if area.code != NEDERLAND_CODE else [])
    blocks: list[ThemeBlock] = []
    download = PageTable(_("%(area)s: every indicator, every year") % {"area": area.name}, profile_columns())
    for theme in themes.public_themes():
        block = ThemeBlock(theme, themes.label(theme))
        block.table = PageTable(
            _("%(theme)s in %(area)s, latest year") % {"theme": block.label, "area": area.name}, profile_columns()
        )
        for definition in registry.of_theme(theme):
            series = own.get(definition.slug, [])
            if not series:
                continue
            cell = figures.latest(series)
            nederland = lookup.get((NEDERLAND_CODE, definition.slug, cell.year))
            provincie = lookup.get((provincie_code, definition.slug, cell.year)) if provincie_code else None
            url = figure_url(area.code, definition.slug)
            if url == area_page_url(area.code):
                url = indicator_url(definition.slug)  # no page below this area: among its peers nationally
            row = IndicatorRow(definition, name(definition), cell, nederland, provincie, series,
                               synthetic=is_synthetic(release, definition), url=url)
            row.chart, row.trend_table = _trend(definition, area, series, lookup, trend_references)
            block.rows.append(row)
            block.table.rows.append(_profile_row(release, definition, cell, nederland, provincie, url))
            for past in series:
                download.rows.append(_profile_row(
                    release, definition, past, lookup.get((NEDERLAND_CODE, definition.slug, past.year)),
                    lookup.get((provincie_code, definition.slug, past.year)) if provincie_code else None, url,
                ))
        if block.rows:
            blocks.append(block)
    latest_cells = {slug: series[-1] for slug, series in own.items()}
    urls = {row.definition.slug: row.url for block in blocks for row in block.rows}
    stand_out = [
        stand_out_item(release, defs[cell.indicator], cell, url=urls.get(cell.indicator, ""))
        for cell, _score in figures.stand_out(latest_cells, defs)
    ]
    withheld, risk_total = figures.withheld_share(latest_cells, defs)
    download.about = about(release, download.caption, [row.definition for block in blocks for row in block.rows])
    peer_group = next((c.peer_group for c in latest_cells.values() if c.peer_group), "")
    neighbours = next((c.knn_codes for c in latest_cells.values() if c.knn_codes), "")
    return {
        "blocks": blocks,
        "stand_out": stand_out,
        "withheld_note": sentences.withheld_note(withheld, risk_total, area_name=area.name),
        "mostly_withheld": withheld * 2 > risk_total,
        "download": download,
        "peer_group": formatting.peer_group_text(peer_group),
        "neighbours": [code for code in neighbours.replace(";", ",").split(",") if code][: MAX_COMPARED - 1],
        "any_synthetic": any(row.synthetic for block in blocks for row in block.rows),
    }


def stand_out_item(release: Release, definition: IndicatorDefinition, cell: Cell, *, url: str = "",
                   against: str | None = None) -> dict:
    """A figure for "wat valt op": its name, link and the sentence about it, written from the
    comparison figures.comparison picks (or the one ``against`` names)."""
    compared = figures.comparison(cell, against=against)
    return {
        "name": name(definition), "url": url, "synthetic": is_synthetic(release, definition),
        "sentence": sentences.describe(definition, cell, compared) if compared else None,
    }


def comparison_text(cell: Cell) -> str:
    """How an area compares, as the profile's columns say it: against similar areas, or against
    the Netherlands where the area has no peer comparison."""
    if cell.sig_peer:
        return _("similar areas: %(comparison)s") % {"comparison": sig_cell(cell.sig_peer, cell.index_peer).text}
    if cell.sig_nl:
        return _("the Netherlands: %(comparison)s") % {"comparison": sig_cell(cell.sig_nl, cell.index_nl).text}
    return ""


def briefing_table(release: Release, area, profile: dict) -> PageTable:
    """The briefing's key figures: the risk themes' rows of the profile, each with its value,
    Nederland's and how the area compares."""
    table = PageTable(_("Key figures, latest year"), [
        Column(_("Indicator")), Column(_("Year"), numeric=True), Column(area.name, numeric=True),
        Column(_("Netherlands"), numeric=True), Column(_("Compared with")),
    ])
    for block in profile["blocks"]:
        if block.theme == "context":
            continue
        for row in block.rows:
            label = labelled_name(release, row.definition)
            table.rows.append([
                Value(label, label), Value.plain(row.latest.year), value_cell(row.definition, row.latest),
                value_cell(row.definition, row.nederland), Value.plain(comparison_text(row.latest) or None),
            ])
    return table


def _trend(definition, area, series: list[Cell], lookup, references: list[tuple[str, str]]):
    """A trend chart of the area against the areas it lies in (``(code, label)``, e.g. its
    province and Nederland), and the same numbers."""
    years = [cell.year for cell in series]
    lines = [(area.name, {c.year: c for c in series}, True)]
    for code, label in references:
        lines.append((label, {y: lookup.get((code, definition.slug, y)) for y in years}, False))
    digits = formatting.decimals(definition)
    chart_series = [
        charts.Series(label, [charts.Point(y, cells[y].value if cells.get(y) and cells[y].published else None) for y in years], emphasis)
        for label, cells, emphasis in lines
    ]
    title = _("%(indicator)s in %(area)s by year") % {"indicator": name(definition), "area": area.name}
    chart = charts.trend_chart(
        chart_series, title=title, unit=text(definition, "unit"), id_prefix=f"trend-{definition.slug}",
        fmt=lambda v: formatting.number(v, digits), missing_label=str(formatting.SECRET),
    ) if len(years) > 1 else ""
    table = PageTable(title, [Column(_("Year"), numeric=True)] + [Column(label, numeric=True) for label, _c, _e in lines])
    for year in years:
        table.rows.append([Value.plain(year)] + [value_cell(definition, cells.get(year)) for _l, cells, _e in lines])
    return chart, table


# ---------------------------------------------------------------- indicator page

#: Which levels an indicator page may list inside a scope of each level. A buurt's own page
#: lists the buurten of its gemeente, itself marked (listing_scope).
LEVELS_IN_SCOPE = {
    Level.LAND: (Level.GEMEENTE, Level.PROVINCIE),
    Level.PROVINCIE: (Level.GEMEENTE,),
    Level.GEMEENTE: (Level.WIJK, Level.BUURT),
    Level.WIJK: (Level.BUURT,),
    Level.BUURT: (Level.BUURT,),
}


def figure_url(code: str, indicator: str = "", year: int | None = None) -> str:
    """Where the figure of an area, an indicator and a year is shown publicly: the indicator's page
    for the area (a buurt's own, among the buurten of its gemeente), else the area's page."""
    level = level_of_code(code)
    definition = registry.find(indicator) if indicator else None
    if definition is None or level is None:
        return area_page_url(code)
    if level in LEVELS_IN_SCOPE and level != Level.LAND and any(
        deeper in definition.levels for deeper in LEVELS_IN_SCOPE[level]
    ):
        return indicator_url(definition.slug, code, jaar=year)
    return area_page_url(code)
def listing_scope(area):
    """The area whose areas an indicator page lists: a buurt's gemeente (the buurt among its
    gemeente's buurten), else the area itself."""
    if area is not None and area.level == Level.BUURT:
        return geography.gemeente_of(area) or area.parent
    return area


MAP_COLOURS = ("#fee8c8", "#fdbb84", "#fc8d59", "#d7301f", "#7f0000")  # ColorBrewer OrRd, light → dark
MAX_BARS = 40


def indicator_page(release: Release, definition: IndicatorDefinition, scope, *, level: str, year: int,
                   years: list[int], vintage: int) -> dict:
    """One indicator for every area of ``level`` inside ``scope`` in one year: table, map with
    legend, charts, and the scope's trend against Nederland. A buurt's own page lists the
    buurten of its gemeente with itself marked, and its trend against its wijk, gemeente and
    Nederland."""
    own = scope if scope is not None and scope.level == Level.BUURT else None
    if own is not None:
        scope = listing_scope(own)
    scope_code = scope.code if scope is not None else NEDERLAND_CODE
    scope_name = scope.name if scope is not None else _("Netherlands")
    cells = selectors.level_cells(release, indicator=definition.slug, level=level, scope=scope_code, year=year)
    names = selectors.area_names(vintage=vintage, level=level, scope=scope_code)
    digits = formatting.decimals(definition)
    breaks = figures.class_breaks(cell.value for cell in cells if cell.published)
    by_code = {cell.area_code: cell for cell in cells}
    level_label = Level(level).label

    caption = _("%(indicator)s per %(level)s in %(scope)s, %(year)s") % {
        "indicator": name(definition), "level": level_label, "scope": scope_name, "year": year}
    table = PageTable(caption, [
        Column(_("Area")), Column(_("CBS code")), Column(_("Value"), numeric=True),
        Column(_("Status"), download_only=True), Column(_("Map class"), page_only=True),
        Column(_("Index (Netherlands = 100)"), numeric=True, download_only=True), Column(_("Against the Netherlands")),
        Column(_("Percentile"), numeric=True), Column(_("Change on the year before"), numeric=True),
    ])
    drill = drill_link(definition, level)
    for code, area_name in sorted(names.items(), key=lambda item: (item[1], item[0])):
        cell = by_code.get(code)
        klass = (figures.class_of(cell.value, breaks) + 1) if cell is not None and cell.published and breaks else None
        shown_name = _("%(name)s (this buurt)") % {"name": area_name} if own is not None and code == own.code else area_name
        table.rows.append([
            Value(area_name, shown_name, drill.replace("{code}", code), emphasis=shown_name != area_name),
            Value.plain(code),
            value_cell(definition, cell) if cell else missing_cell(),
            status_cell(cell) if cell else Value("N", formatting.status_text("N")),
            Value(klass, str(klass or "")),
            index_cell(cell.index_nl if cell else None),
            sig_cell(cell.sig_nl if cell else "", cell.index_nl if cell else None),
            Value(None if not cell or cell.percentile is None else round(cell.percentile),
                  formatting.number(cell.percentile, 0) if cell and cell.percentile is not None else ""),
            Value(None if not cell or cell.change_pct is None else round(cell.change_pct, 1),
                  formatting.change_text(cell.change_pct, cell.series_break) if cell else ""),
        ])
    table.about = about(release, caption, [definition])

    legend = _legend(breaks, cells, digits, absent=sum(1 for code in names if code not in by_code))
    published = [cell for cell in cells if cell.published]
    bars_source = figures.ranking(cells, definition, limit=MAX_BARS)
    bar_title = (_("%(indicator)s per %(level)s in %(scope)s, %(year)s") if len(published) <= MAX_BARS
                 else _("The %(n)s highest of %(indicator)s per %(level)s in %(scope)s, %(year)s")) % {
        "indicator": name(definition), "level": level_label, "scope": scope_name, "year": year, "n": MAX_BARS}
    trend_area = own or (scope if scope is not None else _NationalArea(scope_name))
    # The trend: the page's own area against the areas it lies in, up to Nederland.
    trend_references = [(a.code, a.name) for a in reversed(geography.ancestors(trend_area))
                        if a.code != NEDERLAND_CODE and a.level != Level.PROVINCIE] if own is not None else []
    trend_references += [(NEDERLAND_CODE, _("Netherlands"))] if trend_area.code != NEDERLAND_CODE else []
    references = selectors.cells_of_areas(
        release, [trend_area.code] + [code for code, _label in trend_references], indicators=[definition.slug])
    nederland = next((c for c in references if c.area_code == NEDERLAND_CODE and c.year == year and c.published), None)
    bar_chart = charts.bar_chart(
        [charts.Bar(names.get(c.area_code, c.area_code), c.value, emphasis=own is not None and c.area_code == own.code)
         for c in bars_source],
        title=bar_title, unit=text(definition, "unit"), id_prefix="bars", fmt=lambda v: formatting.number(v, digits),
        reference=nederland.value if nederland else None, reference_label=_("Netherlands"),
    ) if bars_source else ""
    lookup = {(c.area_code, c.indicator, c.year): c for c in references}
    own_series = sorted((c for c in references if c.area_code == trend_area.code), key=lambda c: c.year)
    trend_chart, trend_table = _trend(definition, trend_area, own_series, lookup, trend_references)
    return {
        "own": own,
        "listing_name": scope_name,
        "table": table,
        "legend": legend,
        "bar_chart": bar_chart,
        "trend_chart": trend_chart,
        "trend_table": trend_table,
        "counts": {"published": len(published), "areas": len(names),
                   "secret": sum(1 for c in cells if c.status in formatting.SUPPRESSED_CODES)},
        "map_classes": {"breaks": breaks, "colours": MAP_COLOURS[-len(breaks):] if breaks else []},
        "synthetic": is_synthetic(release, definition),
        "sources": source_labels(definition),
        "nederland": nederland,
        "nederland_text": derived_note(nederland, formatting.value_or_reason(definition, nederland.value, nederland.status))
        if nederland else "",
        "sections": section_table(release, definition, code=scope_code, area_name=scope_name, year=year)
        if own is None and scope_code[:2] in ("NL", "PV", "GM") else None,
        "digits": digits,
    }


class _NationalArea:
    code = NEDERLAND_CODE

    def __init__(self, name):
        self.name = name


def section_table(release: Release, definition: IndicatorDefinition, *, code: str, area_name: str,
                  year: int) -> PageTable | None:
    """A branche indicator per SBI section for one area (Nederland, a provincie or gemeente)."""
    from apps.branches.sbi import SECTIONS

    if not definition.by_sbi_section:
        return None
    rows = selectors.section_values(release, indicator=definition.slug, code=code, year=year)
    if not rows:
        return None
    caption = _("%(indicator)s per branche (SBI section) in %(area)s, %(year)s") % {
        "indicator": name(definition), "area": area_name, "year": year}
    table = PageTable(caption, [Column(_("SBI section")), Column(_("Code")), Column(_("Value"), numeric=True),
                                Column(_("Status"), download_only=True)])
    english = (get_language() or "nl") == "en"
    for section, value, status in rows:
        names = SECTIONS.get(section, (section, section))
        label = names[1] if english else names[0]
        table.rows.append([
            Value.plain(label), Value.plain(section),
            Value(round(value, 4) if status == "V" and value is not None else None,
                  formatting.value_or_reason(definition, value, status), symbol=formatting.status_symbol(value, status)),
            Value(status, formatting.status_text(status)),
        ])
    table.about = about(release, caption, [definition])
    return table


def choropleth(release: Release, definition: IndicatorDefinition, *, level: str, scope: str, year: int) -> dict:
    """The classes and legend of one indicator's map (the theme page's national map)."""
    cells = selectors.level_cells(release, indicator=definition.slug, level=level, scope=scope, year=year)
    breaks = figures.class_breaks(cell.value for cell in cells if cell.published)
    return {
        "legend": _legend(breaks, cells, formatting.decimals(definition)),
        "map_classes": {"breaks": breaks, "colours": MAP_COLOURS[-len(breaks):] if breaks else []},
        "digits": formatting.decimals(definition),
    }


def _legend(breaks: list[float], cells: list[Cell], digits: int, *, absent: int = 0) -> list[dict]:
    """The map's classes, then its areas without a value per reason; ``absent`` areas have no
    cell at all (not available, as the table says)."""
    colours = MAP_COLOURS[-len(breaks):] if breaks else ()
    items, lower = [], None
    counts = [0] * len(breaks)
    for cell in cells:
        if cell.published and breaks:
            counts[figures.class_of(cell.value, breaks)] += 1
    for i, (bound, colour) in enumerate(zip(breaks, colours, strict=True)):
        if lower is None:
            text = _("up to %(upper)s") % {"upper": formatting.number(bound, digits)}
        else:
            text = _("more than %(lower)s, up to %(upper)s") % {"lower": formatting.number(lower, digits),
                                                  "upper": formatting.number(bound, digits)}
        items.append({"kind": "class", "number": i + 1, "swatch": MAP_COLOURS.index(colour) + 1, "colour": colour, "text": text, "count": counts[i]})
        lower = bound
    # Withheld areas per reason, each with its status symbol: the hatching alone does not say why.
    symbols = Counter(formatting.status_symbol(c.value, c.status) for c in cells if not c.published)
    if absent:
        symbols["N"] += absent
    for entry in formatting.status_legend(symbols):
        kind = "missing" if entry["code"] == "N" else "secret"
        items.append({"kind": kind, "code": entry["code"], "text": entry["label"],
                      "explanation": entry["explanation"], "count": symbols[entry["code"]]})
    if not symbols:
        items.append({"kind": "secret", "code": "", "text": str(formatting.SECRET), "explanation": "", "count": 0})
    return items


# ---------------------------------------------------------------- zoekgebieden, theme, comparison


def zoekgebieden(release: Release, area, *, levels: tuple[str, ...], children: list) -> list[dict]:
    """The kansrijke zoekgebieden inside an area (its own included), latest year per theme."""
    names = {area.code: area.name} | {child.code: child.name for child in children}
    defs = definitions()
    rows, latest_year = [], {}
    for item in selectors.zoekgebieden_within(release, area.code, levels=levels):
        latest_year.setdefault(item["theme"], item["year"])
        if item["year"] != latest_year[item["theme"]]:
            continue
        rows.append({
            "theme": themes.label(item["theme"]),
            "code": item["area_code"],
            "name": names.get(item["area_code"], item["area_code"]),
            "level": Level(item["level"]).label,
            "year": item["year"],
            "signals": [name(defs[slug]) for slug in _signal_slugs(item["signals"]) if slug in defs],
            "url": indicator_url(_signal_slugs(item["signals"])[0], area.code) if item["signals"] else "",
        })
    return rows


def _signal_slugs(signals) -> list[str]:
    return [signal["indicator"] if isinstance(signal, dict) else signal for signal in signals]


def theme_page(release: Release, theme: str, *, vintage: int) -> dict:
    """A theme nationally: each indicator's Nederland value and its ten riskiest gemeenten, the
    gemeenten that are kansrijke zoekgebieden, and every gemeente's latest value as a table."""
    theme_defs = registry.of_theme(theme)
    years = selectors.indicator_years(release, level=Level.GEMEENTE)
    latest_year = {d.slug: years[d.slug][-1] for d in theme_defs if years.get(d.slug)}
    gemeente_cells = selectors.theme_cells(release, indicators=list(latest_year), level=Level.GEMEENTE, year_of=latest_year)
    nederland = {(c.indicator, c.year): c for c in selectors.cells_of_areas(release, [NEDERLAND_CODE])}
    names = selectors.area_names(vintage=vintage, level=Level.GEMEENTE, scope=NEDERLAND_CODE)
    grouped = figures.by_indicator(gemeente_cells)
    indicators = []
    for definition in theme_defs:
        if definition.slug not in latest_year:
            continue
        cells = grouped.get(definition.slug, [])
        year = latest_year[definition.slug]
        ranking = figures.ranking(cells, definition)
        indicators.append({
            "definition": definition,
            "name": name(definition),
            "year": year,
            "nederland": derived_note(nederland.get((definition.slug, year)),
                                      formatting.value_text(definition, *_value_status(nederland.get((definition.slug, year))))),
            "url": indicator_url(definition.slug),
            "synthetic": is_synthetic(release, definition),
            "ranking": [
                {"name": names.get(c.area_code, c.area_code), "code": c.area_code,
                 "value": formatting.value_text(definition, c.value, c.status),
                 "significant": c.sig_nl == "+" if definition.direction >= 0 else c.sig_nl == "-"}
                for c in ranking if definition.direction != 0
            ],
            "secret": sum(1 for c in cells if c.status in formatting.SUPPRESSED_CODES),
            "published": sum(1 for c in cells if c.published),
        })
    shown = [item["definition"] for item in indicators]
    caption = _("%(theme)s: every gemeente, latest year") % {"theme": themes.label(theme)}
    table = PageTable(caption, [Column(_("Gemeente")), Column(_("CBS code"))] + [
        Column(f"{labelled_name(release, d)}, {latest_year[d.slug]}", numeric=True) for d in shown
    ])
    by_area = {(c.area_code, c.indicator): c for c in gemeente_cells}
    for code, area_name in sorted(names.items(), key=lambda item: (item[1], item[0])):
        table.rows.append(
            [Value(area_name, area_name, reverse("dashboards:area", args=["gemeente", code])), Value.plain(code)]
            + [value_cell(d, by_area.get((code, d.slug))) for d in shown]
        )
    table.about = about(release, caption, shown)
    zoek = selectors.theme_zoekgebieden(release, theme=theme, level=Level.GEMEENTE)
    zoek_year = zoek[0]["year"] if zoek else None
    defs = definitions()
    return {
        "indicators": indicators,
        "table": table,
        "zoekgebieden": [
            {"name": names.get(z["area_code"], z["area_code"]), "code": z["area_code"],
             "signals": [_zoekgebied_signal(release, defs[slug], by_area.get((z["area_code"], slug)), zoek_year)
                         for slug in _signal_slugs(z["signals"]) if slug in defs]}
            for z in zoek if z["year"] == zoek_year
        ],
        "zoekgebieden_year": zoek_year,
        "any_synthetic": any(item["synthetic"] for item in indicators),
    }


def _zoekgebied_signal(release: Release, definition: IndicatorDefinition, cell: Cell | None, year) -> dict:
    """A signal of a zoekgebied: its name and, where the theme's table shows the same year, the
    sentence about it against the Netherlands (a zoekgebied is defined against Nederland)."""
    if cell is None or cell.year != year or not cell.published:
        return {"name": name(definition), "url": indicator_url(definition.slug), "sentence": None,
                "synthetic": is_synthetic(release, definition)}
    return stand_out_item(release, definition, cell, url=figure_url(cell.area_code, definition.slug),
                          against=figures.NEDERLAND)


def _value_status(cell: Cell | None) -> tuple[float | None, str]:
    return (None, "N") if cell is None else (cell.value, cell.status)


MAX_COMPARED = 6


def compare_page(release: Release, requested: list[str], *, theme: str, vintage: int) -> dict:
    """Up to six areas side by side: every indicator of a theme in its latest year, with a bar
    chart per indicator and a table holding the same numbers."""
    codes = list(dict.fromkeys(requested))[:MAX_COMPARED]
    names = selectors.names_of(vintage=vintage, codes=codes) if codes else {}
    unknown = [code for code in codes if code not in names]
    codes = [code for code in codes if code in names]
    theme = theme if theme in themes.public_themes() else themes.public_themes()[0]
    theme_defs = registry.of_theme(theme)
    cells = selectors.cells_of_areas(release, codes, indicators=[d.slug for d in theme_defs]) if codes else []
    lookup = figures.by_indicator(cells)
    caption = _("%(theme)s: comparison of %(areas)s") % {
        "theme": themes.label(theme), "areas": ", ".join(names[c] for c in codes)}
    columns = [Column(_("Indicator")), Column(_("Year"), numeric=True), Column(_("Unit"))]
    for code in codes:
        columns += [Column(f"{names[code]} ({code})", numeric=True),
                    Column(_("Status %(area)s") % {"area": code}, download_only=True)]
    table = PageTable(caption, columns)
    charts_out, used = [], []
    for definition in theme_defs:
        series = lookup.get(definition.slug, [])
        if not series:
            continue
        year = max(c.year for c in series)
        at_year = {c.area_code: c for c in series if c.year == year}
        label = labelled_name(release, definition)
        row = [Value(label, label, indicator_url(definition.slug)), Value.plain(year),
               Value.plain(text(definition, "unit"))]
        for code in codes:
            row += [value_cell(definition, at_year.get(code)), status_cell(at_year.get(code))]
        table.rows.append(row)
        used.append(definition)
        digits = formatting.decimals(definition)
        bars = [
            charts.Bar(names[code], at_year[code].value if code in at_year and at_year[code].published else None,
                       note="" if code in at_year and at_year[code].published else
                       (formatting.status_text(at_year[code].status) if code in at_year
                        and at_year[code].status in formatting.SUPPRESSED_CODES else str(formatting.NOT_AVAILABLE)))
            for code in codes
        ]
        charts_out.append({
            "name": name(definition),
            "chart": charts.bar_chart(bars, title=f"{name(definition)}, {year}", unit=text(definition, "unit"),
                                      id_prefix=f"cmp-{definition.slug}", fmt=lambda v, d=digits: formatting.number(v, d)),
        })
    table.about = about(release, caption, used)
    return {
        "codes": codes, "names": names, "unknown": unknown, "theme": theme, "table": table, "charts": charts_out,
        "themes": [(t, themes.label(t)) for t in themes.public_themes()],
        "slots": codes + [""] * (MAX_COMPARED - len(codes)),
        "any_synthetic": any(is_synthetic(release, d) for d in used),
    }
