"""Accessible inline SVG charts for the public pages, rendered on the server.

No JavaScript and no chart library: the Content-Security-Policy forbids inline styles and
scripts, so the SVG carries presentation attributes and classes (static/css/charts.css only
sizes it and handles forced-colours mode). Colour never carries meaning alone: series also
differ in marker and dash, the page's own area is thicker (lines) or hatched and outlined (bars)
and its label bold. The page shows a table with the same numbers beside every chart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Formatter = Callable[[float], str]

WIDTH = 400  # viewBox units: narrow, so 13-unit text is still ~12 px on a 360 px phone
CHAR_W = 7.3  # rough advance of a 13-unit character; there is no font metrics on the server
INK, MUTED, GRID, BAR = "#1b1b1b", "#4a4a4a", "#c9d1dc", "#4f6f9c"
# Every colour is >= 4.5:1 on white; dash and marker differ too, so series survive greyscale
# print and colour blindness. The first style goes to the page's own area.
STYLES = [
    ("#1a3d6d", "", "circle"),
    ("#b34700", "6 3", "square"),
    ("#1b7340", "2 3", "triangle"),
    ("#7a2e8c", "8 3 2 3", "diamond"),
    ("#6b5a00", "12 4", "down"),
    ("#00707a", "4 4", "plus"),
]
# a white outline behind text keeps a number legible where a reference line crosses it
HALO = {"stroke": "#ffffff", "stroke_width": 3, "stroke_linejoin": "round", "paint_order": "stroke"}
MARKERS = {  # polygons around (0, 0) for a radius of 1; the circle is drawn as <circle>
    "square": [(-1, -1), (1, -1), (1, 1), (-1, 1)],
    "triangle": [(0, -1.3), (1.2, 0.9), (-1.2, 0.9)],
    "diamond": [(0, -1.35), (1.35, 0), (0, 1.35), (-1.35, 0)],
    "down": [(0, 1.3), (1.2, -0.9), (-1.2, -0.9)],
    "plus": [(-0.4, -1.2), (0.4, -1.2), (0.4, -0.4), (1.2, -0.4), (1.2, 0.4), (0.4, 0.4),
             (0.4, 1.2), (-0.4, 1.2), (-0.4, 0.4), (-1.2, 0.4), (-1.2, -0.4), (-0.4, -0.4)],
}


@dataclass(frozen=True)
class Point:
    year: int
    value: float | None


@dataclass(frozen=True)
class Series:
    label: str
    points: list[Point]
    emphasis: bool = False  # the area of the page


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    emphasis: bool = False
    note: str = ""  # e.g. "geheim" or a status word; shown instead of a missing value


def default_fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """2 to n evenly spaced round numbers (1, 2, 2.5 or 5 x 10^k) covering lo..hi.

    n must be at least 3: ticks are multiples of the step, so a range across zero needs three."""
    if n < 3 or not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"nice_ticks needs finite bounds and n >= 3, not {lo}, {hi}, {n}")
    lo, hi = min(lo, hi), max(lo, hi)

    def flat() -> bool:  # spans below float precision would give steps of no size
        return hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi))

    if flat():  # a flat line still needs an axis; widen towards zero rather than divide by it
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        hi = hi if not flat() else lo + 1.0
    exp = math.floor(math.log10((hi - lo) / (n - 1)))
    while True:  # the smallest step that fits in n ticks reads best
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10.0**exp
            # the epsilon keeps float noise (0.3 / 0.1 = 2.9999...) from adding a tick
            first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
            if first < last and last - first + 1 <= n:
                digits = max(0, 1 - exp)
                return [round(i * step, digits) + 0.0 for i in range(first, last + 1)]
        exp += 1


def _num(x: float) -> str:
    return f"{round(x, 1) + 0.0:g}"


def _open(name: str, **attrs) -> str:
    """A start tag; attribute names follow Python (class_, font_size), values are escaped."""
    parts = [name]
    for key, value in attrs.items():
        if value is None or value == "":
            continue
        value = value if isinstance(value, str) else _num(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{escape(value)}"')
    return "<" + " ".join(parts) + ">"


def _tag(name: str, text: str | None = None, /, **attrs) -> str:
    head = _open(name, **attrs)
    return f"{head[:-1]}/>" if text is None else f"{head}{escape(text)}</{name}>"


def _ids(prefix: str) -> dict[str, str]:
    # ids must be unique on the page and safe inside url(#...) and aria attributes
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", prefix or ""):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _: {prefix!r}")
    return {k: f"{prefix}-{k}" for k in ("title", "desc", "hatch")}


def _svg(ids: dict, kind: str, height: float, title: str, desc: str, body: list[str]) -> SafeString:
    head = _open(
        "svg", xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {WIDTH} {_num(height)}",
        width="100%", role="img", class_=f"chart chart--{kind}", font_size=13, fill=INK,
        aria_labelledby=ids["title"], aria_describedby=ids["desc"],
    )
    return mark_safe(  # noqa: S308 - every text and attribute went through escape()
        head + _tag("title", title, id=ids["title"])
        + _tag("desc", desc or _("No data"), id=ids["desc"])
        + "".join(body) + "</svg>"
    )


def _wrap(text: str, chars: int, max_lines: int = 3) -> list[str]:
    """Break a long area name after spaces and hyphens, so it fits beside a bar on a phone."""
    lines: list[str] = []
    for word in (w for w in re.split(r"(?<=-)|\s+", text) if w):
        glue = "" if not lines or lines[-1].endswith("-") else " "
        if lines and len(lines[-1]) + len(glue) + len(word) <= chars:
            lines[-1] += glue + word
        else:
            lines.append(word)
    if len(lines) > max_lines:  # the table beside the chart has the full name
        lines = lines[: max_lines - 1] + [lines[max_lines - 1][: chars - 1] + "\u2026"]
    return lines or [""]


def _text_lines(lines: list[str], x: float, mid: float, **attrs) -> str:
    top = mid - (len(lines) - 1) * 8 + 4.5  # 16-unit leading, baseline ~0.35em below centre
    spans = "".join(_tag("tspan", line, x=x, y=top + 16 * i) for i, line in enumerate(lines))
    return _open("text", **attrs) + spans + "</text>"


def _marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    common = {"fill": colour, "stroke": "#ffffff", "stroke_width": 1, "class_": "chart-marker"}
    if shape == "circle":
        return _tag("circle", cx=x, cy=y, r=r, **common)
    # coordinates rather than a scale transform, which would thicken the white separating stroke
    corners = " ".join(f"{_num(x + r * dx)} {_num(y + r * dy)}" for dx, dy in MARKERS[shape])
    return _tag("path", d=f"M{corners}Z", **common)


def _style(rank: int) -> tuple[str, str, str]:
    colour, dash, _shape = STYLES[rank % len(STYLES)]
    # beyond six series shift the marker, so no two series share colour, dash and marker
    return colour, dash, STYLES[(rank + rank // len(STYLES)) % len(STYLES)][2]


def _describe_series(s: Series, fmt: Formatter, missing_label: str) -> str:
    known = sorted((p.year, p.value) for p in s.points if p.value is not None)
    gaps = sorted(p.year for p in s.points if p.value is None)
    if not known:
        return _("%(label)s: no values") % {"label": s.label}
    (y1, v1), (y2, v2) = known[0], known[-1]
    if y1 == y2:
        text = _("%(label)s: %(value)s in %(year)s") % {"label": s.label, "value": fmt(v1),
                                                        "year": y1}
    else:
        text = _("%(label)s: from %(first)s in %(y1)s to %(last)s in %(y2)s") % {
            "label": s.label, "first": fmt(v1), "y1": y1, "last": fmt(v2), "y2": y2}
    if gaps:
        text += f" ({missing_label}: {', '.join(str(y) for y in gaps)})"
    return text


def trend_chart(series: list[Series], *, title: str, description: str = "", unit: str = "",
                id_prefix: str, fmt: Formatter = default_fmt,
                missing_label: str = "geheim") -> SafeString:
    """Lines over the years; a None value breaks its line, nothing is interpolated across it."""
    ids = _ids(id_prefix)
    order = sorted(series, key=lambda s: not s.emphasis)  # stable: own area first, then as given
    values = [p.value for s in series for p in s.points if p.value is not None]
    all_years = [p.year for s in series for p in s.points]
    years = list(range(min(all_years), max(all_years) + 1)) if all_years else []
    # from zero: a truncated axis exaggerates change
    ticks = nice_ticks(min(values + [0.0]), max(values + [0.0]), 5)
    labels = [fmt(t) for t in ticks]
    # digits run wider than the average character
    left, top, plot_h = 14 + 8 * max(len(t) for t in labels), 28 if unit else 12, 170
    step = (WIDTH - left - 8) / max(len(years), 1)
    # every year is labelled, turned when crowded; only beyond ~18 years at once are some skipped
    rotate, every = step < 34, max(1, math.ceil(19 / step))
    bottom = top + plot_h

    def x(year: int) -> float:
        return left + (years.index(year) + 0.5) * step

    def y(value: float) -> float:
        return bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * plot_h

    body = [_tag("text", unit, x=0, y=14, fill=MUTED)] if unit else []
    for tick, label in zip(ticks, labels, strict=True):
        body.append(_tag("line", x1=left, x2=WIDTH - 8, y1=y(tick), y2=y(tick),
                         stroke=INK if tick == 0 else GRID, class_="chart-grid"))
        body.append(_tag("text", label, x=left - 6, y=y(tick) + 4.5, text_anchor="end"))
    for i, year in enumerate(years):
        if (len(years) - 1 - i) % every == 0:  # count back from the latest year: it matters most
            at, ty = x(year), bottom + 18
            spin = f"rotate(-45 {_num(at)} {_num(ty)})" if rotate else None
            body.append(_tag("text", str(year), x=at, y=ty, text_anchor="end" if rotate else
                             "middle", transform=spin))
    if not values:
        body.append(_tag("text", missing_label, x=(left + WIDTH) / 2, y=top + plot_h / 2,
                         text_anchor="middle", fill=MUTED, class_="chart-missing"))
    for rank, s in reversed(list(enumerate(order))):  # own area drawn last, so on top
        colour, dash, shape = _style(rank)
        by_year = {p.year: p.value for p in s.points}
        runs: list[list[tuple[float, float]]] = [[]]
        for year in years:
            value = by_year.get(year)
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x(year), y(value)))
        emphasis = " chart-series--emphasis" if s.emphasis else ""
        body.append(f'<g class="chart-series{emphasis}">')
        for run in (r for r in runs if len(r) > 1):
            body.append(_tag("polyline", points=" ".join(f"{_num(a)},{_num(b)}" for a, b in run),
                             fill="none", stroke=colour, stroke_width=3.5 if s.emphasis else 2,
                             stroke_dasharray=dash, stroke_linejoin="round", class_="chart-line"))
        for a, b in (pt for r in runs for pt in r):
            body.append(_marker(shape, a, b, 5 if s.emphasis else 4, colour))
        body.append("</g>")
    row = bottom + (48 if rotate else 34)
    for rank, s in enumerate(order):  # legend in text: the name, its dash, its marker
        colour, dash, shape = _style(rank)
        lines = _wrap(s.label, int((WIDTH - 40) / CHAR_W))
        mid, width = row + 8 * len(lines), 3.5 if s.emphasis else 2
        body.append('<g class="chart-legend">' + _tag(
            "line", x1=2, x2=30, y1=mid, y2=mid, stroke=colour, stroke_width=width,
            stroke_dasharray=dash, class_="chart-line",
        ) + _marker(shape, 16, mid, 5 if s.emphasis else 4, colour)
            + _text_lines(lines, 38, mid, font_weight="700" if s.emphasis else None) + "</g>")
        row += 16 * len(lines) + 6
    desc = description or "; ".join(_describe_series(s, fmt, missing_label) for s in order)
    desc += f" ({unit})" if unit and not description else ""
    return _svg(ids, "trend", row + 4, title, desc, body)


def _bar_text(bar: Bar, fmt: Formatter, missing_label: str) -> str:
    if bar.value is None:
        return bar.note or missing_label
    return f"{fmt(bar.value)} ({bar.note})" if bar.note else fmt(bar.value)


def _describe_bars(bars: list[Bar], texts: list[str], reference: float | None,
                   reference_label: str, fmt: Formatter) -> str:
    known = [(b.value, b.label, t) for b, t in zip(bars, texts, strict=True) if b.value is not None]
    parts = []
    if len(known) == 1:
        parts.append(f"{known[0][1]}: {known[0][2]}")
    elif known:
        high, low = max(known, key=lambda k: k[0]), min(known, key=lambda k: k[0])
        parts.append(_("Highest %(label)s (%(value)s)") % {"label": high[1], "value": high[2]})
        parts.append(_("lowest %(label)s (%(value)s)") % {"label": low[1], "value": low[2]})
        parts += [f"{b.label}: {t}" for b, t in zip(bars, texts, strict=True)
                  if b.emphasis and b.value is not None and b.label not in (high[1], low[1])]
    parts += [f"{b.label}: {t}" for b, t in zip(bars, texts, strict=True) if b.value is None]
    if reference is not None:
        parts.append(f"{reference_label or _('reference')}: {fmt(reference)}")
    return "; ".join(parts)


def bar_chart(bars: list[Bar], *, title: str, description: str = "", unit: str = "",
              id_prefix: str, fmt: Formatter = default_fmt, reference: float | None = None,
              reference_label: str = "", missing_label: str = "geheim") -> SafeString:
    """Horizontal bars, names left (they wrap), values at the bar end. A None value gets no bar
    at all, only its note: a zero-length bar would read as zero."""
    ids = _ids(id_prefix)
    texts = [_bar_text(b, fmt, missing_label) for b in bars]
    scale_values = [b.value for b in bars if b.value is not None] + [0.0]
    scale_values += [reference] if reference is not None else []
    lo, hi = min(scale_values), max(scale_values)
    hi = hi if hi > lo else lo + 1.0  # all zero or all missing: any scale will do
    label_w = 150
    x_lo = label_w + 8
    # room for the values right of the bars; a missing value's note has the whole row instead
    shown = [t for b, t in zip(bars, texts, strict=True) if b.value is not None]
    x_hi = WIDTH - min(130, 8 + CHAR_W * max(map(len, shown), default=0))

    def x(value: float) -> float:
        return x_lo + (value - lo) / (hi - lo) * (x_hi - x_lo)

    # the page's own bar is hatched and outlined, so it stands out without colour
    hatch = _open("pattern", id=ids["hatch"], width=6, height=6, patternUnits="userSpaceOnUse",
                  patternTransform="rotate(45)")
    body = ["<defs>" + hatch + _tag("rect", width=3, height=6, fill=STYLES[0][0],
                                    class_="chart-hatch") + "</pattern></defs>"]
    row = 4.0
    if unit:
        body.append(_tag("text", unit, x=0, y=row + 12, fill=MUTED))
        row += 20
    if reference is not None:
        ref_x, ref_text = x(reference), f"{reference_label} {fmt(reference)}".strip()
        right_half = ref_x > (x_lo + x_hi) / 2
        body.append(_tag("text", ref_text, x=ref_x + (-4 if right_half else 4), y=row + 12,
                         text_anchor="end" if right_half else "start", class_="chart-reference"))
        row += 20
    rows_top, zero = row, x(0.0)
    shapes, texts_out = [], []  # lines go between bars and texts: visible, yet never over a number
    for bar, text in zip(bars, texts, strict=True):
        lines = _wrap(bar.label, int(label_w / CHAR_W) - 1)
        height = max(22, 16 * len(lines) + 4)
        mid = row + height / 2
        bold = "700" if bar.emphasis else None
        texts_out.append(_text_lines(lines, label_w, mid, text_anchor="end", font_weight=bold))
        if bar.value is None:
            texts_out.append(_tag("text", text, x=x_lo + 4, y=mid + 4.5, fill=MUTED, **HALO,
                                  font_style="italic", class_="chart-missing"))
        else:
            end = x(bar.value)
            attrs = ({"fill": f"url(#{ids['hatch']})", "stroke": STYLES[0][0], "stroke_width": 2,
                      "class_": "chart-bar chart-bar--emphasis"} if bar.emphasis
                     else {"fill": BAR, "class_": "chart-bar"})
            shapes.append(_tag("rect", x=min(end, zero), y=mid - 8, width=abs(end - zero),
                               height=16, **attrs))
            # a negative bar grows leftwards; its value sits right of zero, where the row is free
            texts_out.append(_tag("text", text, x=max(end, zero) + 4, y=mid + 4.5,
                                  font_weight=bold, **HALO))
        row += height + 6
    body += shapes
    body.append(_tag("line", x1=zero, x2=zero, y1=rows_top, y2=row, stroke=INK,
                     class_="chart-axis"))
    if reference is not None:
        body.append(_tag("line", x1=x(reference), x2=x(reference), y1=rows_top - 6, y2=row,
                         stroke=INK, stroke_width=1.5, stroke_dasharray="5 3",
                         class_="chart-reference"))
    body += texts_out
    desc = description or _describe_bars(bars, texts, reference, reference_label, fmt)
    desc += f" ({unit})" if unit and desc and not description else ""
    return _svg(ids, "bar", row + 4, title, desc, body)
