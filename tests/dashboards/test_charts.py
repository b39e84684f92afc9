"""Server-rendered SVG charts: parsed back with ElementTree, so the checks are on the drawing."""

import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st

from apps.dashboards.charts import Bar, Point, Series, bar_chart, nice_ticks, trend_chart

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Zn'


def dutch(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def find(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(NS + tag))


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def texts(root: ET.Element) -> list[str]:
    return [text_of(t) for t in find(root, "text")]


def has_class(element: ET.Element, name: str) -> bool:
    return name in element.get("class", "").split()


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]


def series(label, values, start=2019, emphasis=False) -> Series:
    return Series(label, [Point(start + i, v) for i, v in enumerate(values)], emphasis=emphasis)


def trend(*all_series, **kwargs) -> ET.Element:
    kwargs = {"title": "Hennepkwekerijen", "id_prefix": "trend", "fmt": dutch} | kwargs
    return parse(trend_chart(list(all_series), **kwargs))


def bars(*all_bars, **kwargs) -> ET.Element:
    kwargs = {"title": "Per gemeente", "id_prefix": "bars", "fmt": dutch} | kwargs
    return parse(bar_chart(list(all_bars), **kwargs))


def full_trend() -> str:
    return trend_chart(
        [series("Baarn", [3.2, None, 3.9, 4.1], emphasis=True), series(HOSTILE, [1, 2, None, 2]),
         series("Nederland", [2.5, 2.6, 2.7, 2.8])],
        title=HOSTILE, unit="per 1.000 woningen", id_prefix="t", fmt=dutch,
    )


def full_bars() -> str:
    return bar_chart(
        [Bar("Baarn", 4.1, emphasis=True), Bar(HOSTILE, 2.0), Bar("Eemnes", None, note="geheim"),
         Bar("Laren", -1.5)],
        title=HOSTILE, unit="per 1.000 inwoners", id_prefix="b", fmt=dutch, reference=2.8,
        reference_label="Nederland",
    )


# nice_ticks


@pytest.mark.parametrize(
    "lo, hi, n, expected",
    [
        (0, 4.1, 5, [0, 2, 4, 6]),
        (0, 1, 5, [0, 0.25, 0.5, 0.75, 1]),
        (0, 0.3, 5, [0, 0.1, 0.2, 0.3]),  # no float noise like 0.30000000000000004
        (0, 0, 5, [0, 0.25, 0.5, 0.75, 1]),  # nothing to show still gets an axis
        (-3, 7, 5, [-5, 0, 5, 10]),
        (0, 19000, 5, [0, 5000, 10000, 15000, 20000]),
    ],
)
def test_nice_ticks_examples(lo, hi, n, expected):
    assert nice_ticks(lo, hi, n) == expected


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.integers(3, 8),
)
def test_nice_ticks_are_few_round_even_and_cover_the_data(a, b, n):
    lo, hi = min(a, b), max(a, b)
    ticks = nice_ticks(lo, hi, n)
    assert 2 <= len(ticks) <= n
    step = ticks[1] - ticks[0]
    assert step > 0
    assert all(math.isclose(b - a, step, rel_tol=1e-6) for a, b in zip(ticks, ticks[1:]))
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5))
    slack = 1e-6 * step
    assert ticks[0] <= lo + slack and ticks[-1] >= hi - slack


def test_nice_ticks_refuses_nonsense():
    with pytest.raises(ValueError):
        nice_ticks(-1, 1, 2)  # two multiples of a step cannot straddle zero
    with pytest.raises(ValueError):
        nice_ticks(0, math.inf, 5)


# what both charts must do


@pytest.mark.parametrize("render", [full_trend, full_bars])
def test_chart_is_safe_accessible_and_responsive(render):
    svg = render()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("height") is None
    assert re.fullmatch(r"0 0 \d+ [\d.]+", root.get("viewBox"))
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    title, desc = by_id[root.get("aria-labelledby")], by_id[root.get("aria-describedby")]
    assert title.tag == NS + "title" and title.text == HOSTILE
    assert desc.tag == NS + "desc" and desc.text.strip()
    assert root[0] is title  # the fallback name for tools that ignore aria


@pytest.mark.parametrize("render", [full_trend, full_bars])
def test_chart_obeys_the_content_security_policy(render):
    root = parse(render())
    for element in root.iter():
        assert element.get("style") is None, element.tag
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
        assert element.tag not in (NS + "style", NS + "script", NS + "foreignObject")


@pytest.mark.parametrize("render", [full_trend, full_bars])
def test_names_from_data_are_escaped(render):
    svg = str(render())
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg and "&amp; Zn" in svg
    root = parse(svg)
    assert any(HOSTILE in t or "Zn" in t for t in texts(root))  # shown, as text


@pytest.mark.parametrize("render", [trend_chart, bar_chart])
@pytest.mark.parametrize("prefix", ['x" onload="alert(1)', "", "1chart", "a b"])
def test_id_prefix_must_be_a_plain_name(render, prefix):
    with pytest.raises(ValueError):
        render([], title="t", id_prefix=prefix)


def test_ids_are_prefixed_unique_and_every_reference_resolves():
    page = [parse(full_trend()), parse(full_bars()),
            parse(bar_chart([Bar("A", 1, emphasis=True)], title="t", id_prefix="b2"))]
    all_ids = []
    for root, prefix in zip(page, ["t", "b", "b2"], strict=True):
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert ids and all(i.startswith(prefix + "-") for i in ids)
        all_ids += ids
        refs = [root.get("aria-labelledby"), root.get("aria-describedby")]
        refs += [m for e in root.iter() for v in e.attrib.values()
                 for m in re.findall(r"url\(#([^)]+)\)", v)]
        assert set(refs) <= set(ids)
    assert len(all_ids) == len(set(all_ids))


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def six_series() -> str:
    return trend_chart([series(f"S{i}", [i, None, i + 1]) for i in range(6)], title="t",
                       id_prefix="six")


@pytest.mark.parametrize("render", [full_trend, full_bars, six_series])
def test_text_and_lines_have_enough_contrast(render):
    root = parse(render())
    parents = {child: parent for parent in root.iter() for child in parent}

    def fill(element):
        while element is not None and element.get("fill") is None:
            element = parents.get(element)
        return element.get("fill")

    for text in find(root, "text"):
        assert contrast_on_white(fill(text)) >= 4.5, text_of(text)
    for line in find(root, "polyline") + find(root, "rect") + find(root, "line"):
        if has_class(line, "chart-grid"):
            continue  # a reading aid only: every value is labelled or in the table
        colour = line.get("stroke") or line.get("fill")
        if colour.startswith("#"):
            assert contrast_on_white(colour) >= 3, colour  # WCAG 1.4.11, graphics


# trend_chart


def test_missing_value_breaks_the_line_instead_of_bridging_it():
    root = trend(series("Baarn", [3.2, 3.5, None, 3.9, 4.1, 4.4]))
    lines = find(root, "polyline")
    assert [len(points(line)) for line in lines] == [2, 3]
    gap_start, gap_end = points(lines[0])[-1][0], points(lines[1])[0][0]
    year_step = points(lines[1])[1][0] - points(lines[1])[0][0]
    assert math.isclose(gap_end - gap_start, 2 * year_step, rel_tol=1e-3)
    markers = [e for e in root.iter() if has_class(e, "chart-marker")
               and not any(e in list(g) for g in find(root, "g") if has_class(g, "chart-legend"))]
    assert len(markers) == 5  # the suppressed year is not drawn, least of all at zero


def test_a_year_absent_from_a_series_also_breaks_it_and_lone_points_keep_a_marker():
    root = trend(Series("A", [Point(2019, 1.0), Point(2021, 2.0)]),
                 series("B", [1, 1, 1]))
    groups = [g for g in find(root, "g") if has_class(g, "chart-series")]
    lone = [g for g in groups if not find(g, "polyline")]
    assert len(lone) == 1
    assert len([e for e in lone[0] if has_class(e, "chart-marker")]) == 2


def test_every_year_is_labelled_and_the_axis_starts_at_zero():
    root = trend(series("Baarn", [3.2, 3.5, 3.9, 4.1, 4.4, 4.6]))
    shown = texts(root)
    assert all(str(year) in shown for year in range(2019, 2025))
    ticks = [t for t in shown if re.fullmatch(r"-?\d+,\d", t)]
    values = [float(t.replace(",", ".")) for t in ticks]
    assert 3 <= len(ticks) <= 5 and min(values) == 0 and max(values) >= 4.6
    assert len([e for e in find(root, "line") if has_class(e, "chart-grid")]) == len(ticks)


def test_negative_values_extend_the_axis_below_zero():
    root = trend(series("Saldo", [-2.0, 1.0, 3.0]))
    values = [float(t.replace(",", ".")) for t in texts(root) if re.fullmatch(r"-?\d+,\d", t)]
    assert min(values) <= -2 and max(values) >= 3


def test_series_differ_in_more_than_colour():
    root = trend(*[series(f"S{i}", [i, i + 1, i + 2], emphasis=i == 3) for i in range(6)])
    legend = [g for g in find(root, "g") if has_class(g, "chart-legend")]
    assert len(legend) == 6
    dashes, shapes = set(), set()
    for item in legend:
        dashes.add(find(item, "line")[0].get("stroke-dasharray"))
        marker = [e for e in item if has_class(e, "chart-marker")][0]
        if marker.tag == NS + "circle":
            shapes.add("circle")
        else:  # the polygon relative to its centre
            xy = [float(n) for n in re.findall(r"-?[\d.]+", marker.get("d"))]
            cx, cy = sum(xy[::2]) / len(xy[::2]), sum(xy[1::2]) / len(xy[1::2])
            shapes.add(tuple((round(a - cx), round(b - cy)) for a, b in zip(xy[::2], xy[1::2])))
    assert len(dashes) == 6 and len(shapes) == 6
    # the page's own area leads the legend, in bold
    assert text_of(legend[0]) == "S3"
    assert [find(item, "text")[0].get("font-weight") for item in legend] == ["700"] + [None] * 5


def test_own_area_line_is_thicker_and_marked_without_colour():
    root = trend(series("Baarn", [1, 2, 3], emphasis=True), series("Nederland", [2, 2, 2]))
    groups = [g for g in find(root, "g") if has_class(g, "chart-series")]
    own = [g for g in groups if has_class(g, "chart-series--emphasis")]
    other = [g for g in groups if not has_class(g, "chart-series--emphasis")]
    assert len(own) == 1 and len(other) == 1
    own_line, other_line = find(own[0], "polyline")[0], find(other[0], "polyline")[0]
    assert float(own_line.get("stroke-width")) > float(other_line.get("stroke-width"))
    assert own_line.get("stroke-dasharray") != other_line.get("stroke-dasharray")
    assert groups[-1] is own[0]  # drawn last, so never hidden under another line


def test_description_is_generated_from_the_data_with_the_callers_formatting():
    calls = []

    def fmt(value):
        calls.append(value)
        return dutch(value)

    root = trend(series("Baarn", [3.2, None, 3.9, 4.1], start=2021), fmt=fmt, unit="per 1.000")
    desc = find(root, "desc")[0].text
    assert "Baarn" in desc and "3,2" in desc and "2021" in desc and "4,1" in desc
    assert "2024" in desc and "geheim: 2022" in desc and "per 1.000" in desc
    assert 3.2 in calls


def test_given_description_is_used_verbatim():
    root = trend(series("Baarn", [1, 2]), description="Baarn stijgt & daalt")
    assert find(root, "desc")[0].text == "Baarn stijgt & daalt"


def test_chart_without_any_value_says_so():
    root = trend(series("Baarn", [None, None]), missing_label="niet beschikbaar")
    assert not find(root, "polyline")
    assert "niet beschikbaar" in texts(root)


def test_long_names_wrap_in_the_legend():
    name = "Vergelijkbare gemeenten naar stedelijkheid en omvang in dezelfde provincie"
    root = trend(series(name, [1, 2]))
    spans = [text_of(s) for s in find(root, "tspan")]
    assert len(spans) >= 2 and " ".join(spans) == name


# bar_chart


def value_bars(root):
    return [r for r in find(root, "rect") if has_class(r, "chart-bar")]


def test_missing_bar_is_a_label_not_a_zero_bar():
    root = bars(Bar("Baarn", 4.0), Bar("Eemnes", None, note="geheim"), Bar("Laren", 2.0),
                Bar("Blaricum", None))
    assert len(value_bars(root)) == 2
    assert all(float(r.get("width")) > 0 for r in value_bars(root))
    missing = [text_of(t) for t in find(root, "text") if has_class(t, "chart-missing")]
    assert missing == ["geheim", "geheim"]  # note, else the missing_label default
    assert "0" not in texts(root) and "0,0" not in texts(root)


def test_missing_label_is_the_callers():
    root = bars(Bar("Baarn", None), missing_label="onbekend")
    assert [text_of(t) for t in find(root, "text") if has_class(t, "chart-missing")] == ["onbekend"]


def test_all_missing_and_single_bar_and_all_zero_render():
    assert not value_bars(bars(Bar("A", None), Bar("B", None, note="te weinig")))
    single = value_bars(bars(Bar("A", 3.0)))
    assert len(single) == 1 and float(single[0].get("width")) > 0
    zeros = bars(Bar("A", 0.0), Bar("B", 0.0))
    assert [float(r.get("width")) for r in value_bars(zeros)] == [0, 0]
    assert texts(zeros).count("0,0") == 2  # a real zero is shown as one
    assert not value_bars(bars())


def test_bar_lengths_are_proportional_and_values_sit_at_the_end():
    root = bars(Bar("A", 4.0), Bar("B", 2.0), Bar("C", 1.0))
    widths = [float(r.get("width")) for r in value_bars(root)]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.02)
    assert widths[1] == pytest.approx(2 * widths[2], rel=0.05)
    a = value_bars(root)[0]
    label = [t for t in find(root, "text") if text_of(t) == "4,0"][0]
    assert float(label.get("x")) > float(a.get("x")) + float(a.get("width"))


def test_negative_bar_grows_left_of_zero():
    root = bars(Bar("A", 2.0), Bar("B", -1.0))
    zero = [line for line in find(root, "line") if has_class(line, "chart-axis")][0]
    zero_x = float(zero.get("x1"))
    positive, negative = value_bars(root)
    assert float(positive.get("x")) == pytest.approx(zero_x, abs=0.1)
    assert float(negative.get("x")) + float(negative.get("width")) == pytest.approx(zero_x, abs=0.1)
    assert float(negative.get("x")) < zero_x
    assert float(negative.get("width")) == pytest.approx(float(positive.get("width")) / 2, rel=0.05)
    # its value goes right of zero, where the row is empty, not over the bar or the names
    label = [t for t in find(root, "text") if text_of(t) == "-1,0"][0]
    assert float(label.get("x")) > zero_x


def test_reference_line_is_placed_to_scale_and_labelled():
    root = bars(Bar("A", 4.0), Bar("B", 1.0), reference=2.0, reference_label="Nederland")
    ref = [e for e in find(root, "line") if has_class(e, "chart-reference")][0]
    assert ref.get("stroke-dasharray")
    a = value_bars(root)[0]
    x0, x4 = float(a.get("x")), float(a.get("x")) + float(a.get("width"))
    assert float(ref.get("x1")) == pytest.approx((x0 + x4) / 2, abs=0.2)
    assert "Nederland 2,0" in texts(root)
    assert "Nederland: 2,0" in find(root, "desc")[0].text


def test_own_area_bar_is_hatched_outlined_and_bold():
    root = bars(Bar("Baarn", 3.0, emphasis=True), Bar("Soest", 2.0))
    own, other = value_bars(root)
    assert has_class(own, "chart-bar--emphasis") and not has_class(other, "chart-bar--emphasis")
    pattern_id = re.fullmatch(r"url\(#(.+)\)", own.get("fill")).group(1)
    assert find(root, "pattern")[0].get("id") == pattern_id
    assert float(own.get("stroke-width")) > 0 and other.get("stroke") is None
    weights = {text_of(t): t.get("font-weight") for t in find(root, "text")}
    assert weights["Baarn"] == "700" and weights["3,0"] == "700"
    assert weights["Soest"] is None and weights["2,0"] is None


def test_note_accompanies_a_value():
    root = bars(Bar("Baarn", 3.0, note="voorlopig"))
    assert "3,0 (voorlopig)" in texts(root)


def test_long_area_names_wrap_beside_the_bar():
    name = "Bedrijventerrein Noord-Oost Kanaalzone"
    root = bars(Bar(name, 1.0))
    spans = [text_of(s) for s in find(root, "tspan")]
    assert len(spans) >= 2 and all(len(s) <= 20 for s in spans)
    assert "".join(s if s.endswith("-") else s + " " for s in spans).strip() == name


def test_bar_description_names_extremes_missing_and_reference():
    desc = find(parse(full_bars()), "desc")[0].text
    assert "Baarn (4,1)" in desc and "Laren (-1,5)" in desc
    assert "Eemnes: geheim" in desc and "Nederland: 2,8" in desc and "per 1.000 inwoners" in desc
