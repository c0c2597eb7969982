"""SVG charts for the HR dashboard: well-formed, accessible, CSP-safe, inert with hostile text, to scale."""
import unicodedata
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.reports.charts import Bar, Point, TargetLine, Words, bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onload="alert(2)'
LONG_NAME = "Phòng Lao động – Thương binh và Xã hội"
MONTHS = [f"{month:02d}/{year}" for year in (2025, 2026) for month in range(1, 13)]
SVG_TAGS = {"svg", "title", "desc", "defs", "pattern", "g", "rect", "line", "polyline", "circle", "path", "text"}


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 -- our own output, parsed to prove it is well-formed
    assert root.tag == f"{NS}svg"
    return root


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(NS)


def _all(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{NS}{tag}"))


def _with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def _bar_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in _all(root, "g") if _with_class(g, "bar")]


def _texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in _all(root, "text")]


def _series_points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]


def _district_bars() -> list[Bar]:
    return [Bar("Phòng Nội vụ", 100, 95, "met"), Bar("Phòng Tư pháp", 90, 95, "close"),
            Bar(LONG_NAME, 45.5, 95, "behind"), Bar("Xã Vĩnh Sơn", 66.7, 65, "met"),
            Bar("Xã Vĩnh Kim", 0, 65, "behind")]


def _months(count: int) -> list[Point]:
    return [Point(label, {"Cấp huyện": 40 + i * 2.5, "Cấp xã": 10 + i * 2, "Toàn huyện": 20 + i * 2.2})
            for i, label in enumerate(MONTHS[:count])]


def _all_kinds() -> list[str]:
    return [bar_chart(_district_bars(), title="Theo đơn vị", description="5 đơn vị"),
            bar_chart([], title="Trống", description="Không có đơn vị"),
            line_chart(_months(24), title="Theo tháng", description="24 tháng",
                       targets=[TargetLine("Chỉ tiêu cấp huyện", 95), TargetLine("Chỉ tiêu cấp xã", 65)]),
            line_chart([], title="Trống", description="Không có tháng")]


@pytest.mark.parametrize("svg", _all_kinds())
def test_every_chart_is_accessible_well_formed_and_csp_safe(svg):
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert len(root.get("viewBox").split()) == 4
    title, desc = list(root)[:2]
    assert (_tag(title), _tag(desc)) == ("title", "desc")
    assert title.text and desc.text
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert not [el for el in root.iter() if "style" in el.attrib or _tag(el) in {"style", "script"}]
    assert {_tag(el) for el in root.iter()} <= SVG_TAGS
    assert svg.count("http") == 1, "nothing external: the only URL is the SVG namespace"


def test_one_rect_per_bar_with_width_proportional_to_value():
    root = _parse(bar_chart(_district_bars(), title="t", description="d"))
    rects = _with_class(root, "bar")
    assert len(rects) == len(_district_bars())
    full = float(rects[0].get("width"))
    assert full > 300
    for rect, bar in zip(rects, _district_bars(), strict=True):
        assert float(rect.get("width")) == pytest.approx(full * bar.value / 100, abs=0.02)
    assert len({rect.get("x") for rect in rects}) == 1


def test_values_are_scaled_to_max_value_and_clamped():
    bars = [Bar("Đủ", 50), Bar("Nửa", 25), Bar("Vượt", 80), Bar("Âm", -5)]
    widths = [float(r.get("width")) for r in _with_class(_parse(bar_chart(bars, title="t", description="d",
                                                                          max_value=50)), "bar")]
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.02)
    assert widths[2] == widths[0]
    assert widths[3] == 0
    with pytest.raises(ValueError, match="max_value"):
        bar_chart(bars, title="t", description="d", max_value=0)


def test_each_bar_has_a_dashed_target_mark_at_its_own_target():
    root = _parse(bar_chart(_district_bars(), title="t", description="d"))
    groups = _bar_groups(root)
    full_rect = _with_class(groups[0], "bar")[0]
    left, full = float(full_rect.get("x")), float(full_rect.get("width"))
    for group, bar in zip(groups, _district_bars(), strict=True):
        (mark,) = _with_class(group, "target")
        assert mark.get("stroke-dasharray")
        assert float(mark.get("x1")) == float(mark.get("x2")) == pytest.approx(left + full * bar.target / 100, abs=0.02)
    assert "Chỉ tiêu" in _texts(root)


def test_bars_without_target_have_no_target_mark_nor_legend_entry():
    root = _parse(bar_chart([Bar("Phòng Y tế", 70)], title="t", description="d"))
    assert not _with_class(root, "target")
    assert "Chỉ tiêu" not in _texts(root)


def test_value_labels_and_status_not_by_colour_alone():
    root = _parse(bar_chart(_district_bars(), title="t", description="d"))
    texts = _texts(root)
    for value in ("100%", "90%", "45,5%", "66,7%", "0%"):
        assert value in texts
    assert {"Đạt chỉ tiêu", "Gần đạt", "Chưa đạt"} <= set(texts)
    fills = {rect.get("class"): rect.get("fill") for rect in _with_class(root, "bar")}
    assert fills["bar bar-behind"].startswith("url(#")
    (pattern,) = _all(root, "pattern")
    assert fills["bar bar-behind"] == f"url(#{pattern.get('id')})"
    assert len({fills["bar bar-met"], fills["bar bar-close"], fills["bar bar-behind"]}) == 3


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status"):
        bar_chart([Bar("Phòng Y tế", 70, 95, "green")], title="t", description="d")


def test_long_names_are_truncated_but_kept_whole_in_the_row_title():
    root = _parse(bar_chart(_district_bars(), title="t", description="d"))
    group = _bar_groups(root)[2]
    label = next(text for text in _all(group, "text") if text.get("text-anchor") == "end").text
    assert label.endswith("…") and len(label) <= 34
    assert LONG_NAME.startswith(label[:-1])
    assert _all(group, "title")[0].text.startswith(LONG_NAME + ": 45,5%")
    assert "Phòng Nội vụ" in _texts(root)


def test_height_grows_with_the_number_of_bars():
    def height(count):
        bars = [Bar(f"Xã {i}", 50, 65, "behind") for i in range(count)]
        return float(_parse(bar_chart(bars, title="t", description="d")).get("viewBox").split()[3])
    assert height(1) < height(9) < height(22)
    assert height(22) - height(9) == pytest.approx(13 * (height(9) - height(8)))


def test_hostile_text_comes_out_inert():
    svg = bar_chart([Bar(HOSTILE[:30], 50, 65, "behind"), Bar(HOSTILE, 80)], title=HOSTILE,
                    description=HOSTILE, value_suffix=HOSTILE)
    svg += line_chart([Point(HOSTILE, {HOSTILE: 50})], title=HOSTILE, description=HOSTILE,
                      targets=[TargetLine(HOSTILE, 60)], value_suffix=HOSTILE)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    for chart in svg.split("</svg>")[:2]:
        root = _parse(chart + "</svg>")
        assert {_tag(el) for el in root.iter()} <= SVG_TAGS
        assert not [name for el in root.iter() for name in el.attrib if name.lower().startswith("on")]
        assert root.find(f"{NS}title").text == HOSTILE
    assert HOSTILE[:30] in _texts(_parse(svg.split("</svg>")[0] + "</svg>"))


@given(label=st.text(), title=st.text())
def test_any_text_gives_well_formed_inert_markup(label, title):
    for svg in (bar_chart([Bar(label, 50, 65, "close")], title=title, description=label),
                line_chart([Point(label, {label: 50})], title=title, description=label,
                           targets=[TargetLine(label, 65)])):
        root = _parse(svg)
        assert {_tag(el) for el in root.iter()} <= SVG_TAGS
        assert not [name for el in root.iter() for name in el.attrib if name.lower().startswith("on")]


def test_vietnamese_text_is_composed_nfc():
    decomposed = unicodedata.normalize("NFD", "Xã Vĩnh Thuận")
    svg = bar_chart([Bar(decomposed, 70, 65, "met")], title=decomposed, description="d")
    assert "Xã Vĩnh Thuận" in _texts(_parse(svg))
    assert decomposed not in svg


@pytest.mark.parametrize("svg", [bar_chart([], title="t", description="d"), line_chart([], title="t", description="d"),
                                 line_chart([Point("01/2026", {})], title="t", description="d")])
def test_no_data_gives_a_small_note(svg):
    root = _parse(svg)
    assert _texts(root) == ["Chưa có số liệu"]
    assert float(root.get("viewBox").split()[3]) < 100


def test_one_line_per_series_with_a_point_per_month():
    points = _months(6)
    points[2] = Point(points[2].label, {"Cấp huyện": 50, "Toàn huyện": 30})  # no commune figure that month
    root = _parse(line_chart(points, title="t", description="d"))
    lines = _all(root, "polyline")
    assert [len(_series_points(line)) for line in lines] == [6, 5, 6]
    assert len({line.get("stroke-dasharray") for line in lines}) == 3, "series differ in greyscale"
    groups = [g for g in _all(root, "g") if g.find(f"{NS}polyline") is not None]
    assert [g.find(f"{NS}title").text for g in groups] == ["Cấp huyện", "Cấp xã", "Toàn huyện"]
    assert {"Cấp huyện", "Cấp xã", "Toàn huyện"} <= set(_texts(root)), "legend"


def test_marker_shapes_differ_between_series():
    root = _parse(line_chart(_months(3), title="t", description="d"))
    groups = [g for g in _all(root, "g") if g.find(f"{NS}polyline") is not None]
    shapes = [(_tag(g[2]), len(g[2].get("d", "").split("L"))) for g in groups]
    assert len(set(shapes)) == 3
    assert all(len(g) == 2 + 3 for g in groups), "title, line and a marker per month"


def test_x_labels_are_thinned_for_24_months_and_keep_the_latest():
    root = _parse(line_chart(_months(24), title="t", description="d"))
    labels = _with_class(root, "x-label")
    assert 4 <= len(labels) <= 8
    assert labels[-1].text == "12/2026"
    xs = [float(label.get("x")) for label in labels]
    assert min(b - a for a, b in pairwise(xs)) >= 60, "labels of 7 characters must not overlap"
    assert len(_series_points(_all(root, "polyline")[0])) == 24


def test_few_months_are_all_labelled():
    root = _parse(line_chart(_months(6), title="t", description="d"))
    assert [label.text for label in _with_class(root, "x-label")] == MONTHS[:6]


def test_single_month():
    root = _parse(line_chart(_months(1), title="t", description="d"))
    assert [len(_series_points(line)) for line in _all(root, "polyline")] == [1, 1, 1]
    assert [label.text for label in _with_class(root, "x-label")] == ["01/2025"]


def test_values_0_and_100_sit_on_the_target_lines_for_0_and_100():
    points = [Point("01/2026", {"Cấp huyện": 0, "Cấp xã": 100}), Point("02/2026", {"Cấp huyện": 100, "Cấp xã": 0})]
    root = _parse(line_chart(points, title="t", description="d",
                             targets=[TargetLine("Sàn", 0), TargetLine("Trần", 100)]))
    floor, ceiling = (float(mark.get("y1")) for mark in _with_class(root, "target"))
    assert floor > ceiling
    axis = {text.text: float(text.get("y")) - 4 for text in _all(root, "text") if text.get("text-anchor") == "end"}
    assert (axis["0%"], axis["100%"]) == (floor, ceiling)
    district, commune = (_series_points(line) for line in _all(root, "polyline"))
    assert [y for _, y in district] == [floor, ceiling]
    assert [y for _, y in commune] == [ceiling, floor]


def test_target_lines_are_dashed_and_labelled_and_latest_values_shown():
    points = [Point("01/2026", {"Cấp huyện": 80, "Cấp xã": 50}), Point("02/2026", {"Cấp huyện": 82.5, "Cấp xã": 62.5})]
    root = _parse(line_chart(points, title="t", description="d",
                             targets=[TargetLine("Chỉ tiêu cấp huyện", 95), TargetLine("Chỉ tiêu cấp xã", 65)]))
    marks = _with_class(root, "target")
    assert len(marks) == 2 and all(mark.get("stroke-dasharray") for mark in marks)
    assert float(marks[0].get("y1")) < float(marks[1].get("y1"))
    texts = _texts(root)
    assert {"Chỉ tiêu cấp huyện 95%", "Chỉ tiêu cấp xã 65%", "Cấp huyện 82,5%", "Cấp xã 62,5%"} <= set(texts)


@pytest.mark.parametrize("value", [0, 65, 100])
def test_labels_beside_the_lines_do_not_overlap(value):
    points = [Point("01/2026", {"Cấp huyện": value, "Cấp xã": value, "Toàn huyện": value})]
    root = _parse(line_chart(points, title="t", description="d", targets=[TargetLine("Chỉ tiêu", value)]))
    side = sorted(float(text.get("y")) for text in _all(root, "text") if text.get("font-weight"))
    assert len(side) == 4
    assert min(b - a for a, b in pairwise(side)) >= 14


def test_the_words_and_decimal_mark_follow_the_readers_language():
    english = Words(no_data="No data yet", target="Target", met="Target met", close="Nearly met",
                    behind="Target not met", decimal_mark=".")
    svg = bar_chart([Bar("Unit", 44.25, 95, "behind")], title="T", description="D", words=english)
    assert "Target not met" in svg and ">Target<" in svg and "44.2%" in svg and "Chỉ tiêu" not in svg
    assert "No data yet" in line_chart([], title="T", description="D", words=english)
    assert "44,2%" in bar_chart([Bar("Unit", 44.25, 95, "behind")], title="T", description="D")
