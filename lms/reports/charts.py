"""Pure SVG charts for the HR dashboard: one horizontal bar per unit, one line per series by month.

Each function returns SVG markup to embed inline (``|safe``) and to print. The app's CSP forbids
inline styles and scripts, so only presentation attributes are used, and every piece of caller
text is normalised and escaped here. Status is shown by fill *and* hatching, targets by dashed
lines with text, values as text, so the chart still reads when printed in black and white.
"""
import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from lms.text import clean_text

WIDTH = 760
FONT = "DejaVu Sans, Noto Sans, Liberation Sans, Arial, sans-serif"
FONT_SIZE = 12
CHAR_WIDTH = 7  # rough advance of one character at FONT_SIZE, for layout only
INK = "#222"
MUTED = "#555"
GRID = "#c8c8c8"
TARGET_DASH = "5 3"
HALO = {"stroke": "#fff", "stroke_width": 3, "stroke_linejoin": "round", "paint_order": "stroke"}
MAX_LABEL_CHARS = 34
TICKS = 4  # gridlines at 0, 25, 50, 75 and 100 % of max_value
LEGEND_ROW = 20
EMPTY_HEIGHT = 60

# Bar chart geometry: unit names on the left, bars in between, value labels after bar or target.
LABEL_RIGHT, BAR_LEFT, BAR_RIGHT = 252, 260, 700
ROW_HEIGHT, BAR_HEIGHT = 28, 16
# status -> fill. "behind" is also hatched: its fill alone is as dark as "met" in grey.
STATUS_FILL = {"met": "#1e6b34", "close": "#e3a72f", "behind": "#9c4130", "": "#5f7d95"}
HATCH_BACKGROUND = "#f4dcd5"

# Line chart geometry and the series styles, which differ by dash and marker as well as colour.
PLOT_LEFT, PLOT_RIGHT, PLOT_HEIGHT = 56, 580, 280
MAX_X_LABELS = 8
SIDE_LABEL_GAP = 15
SERIES_STYLES = (("#1f4e79", "", "circle"), ("#b35900", "8 4", "square"),
                 ("#2e7d32", "2 3", "triangle"), ("#6a1b9a", "10 3 2 3", "diamond"))


@dataclass(frozen=True)
class Bar:
    """One unit's row: its value, its own target (district and commune levels differ) and status."""

    label: str
    value: float
    target: float | None = None
    status: str = ""  # "met", "close", "behind" or ""


@dataclass(frozen=True)
class Point:
    """One x position (a month such as "01/2026") with the value of each named series there."""

    label: str
    values: Mapping[str, float]


@dataclass(frozen=True)
class TargetLine:
    """A horizontal dashed line across the line chart, labelled with its text and value."""

    label: str
    value: float


def _clean(text: object) -> str:
    """NFC, one line, and without the characters XML 1.0 cannot carry (controls, surrogates)."""
    return "".join(ch for ch in clean_text(str(text))
                   if ch >= " " and ch not in "\ufffe\uffff" and not "\ud800" <= ch <= "\udfff")


def _n(number: float) -> str:
    return f"{round(number, 2):g}"


@dataclass(frozen=True)
class Words:
    """What a chart prints in words, and its decimal mark: Vietnamese unless the page passes
    the reader's language."""

    no_data: str = "Chưa có số liệu"
    target: str = "Chỉ tiêu"
    met: str = "Đạt chỉ tiêu"
    close: str = "Gần đạt"
    behind: str = "Chưa đạt"
    decimal_mark: str = ","

    def number(self, value: float) -> str:
        """At most one decimal: 44,2 or 25."""
        return f"{value:.1f}".removesuffix(".0").replace(".", self.decimal_mark)

    def status(self, status: str) -> str:
        return getattr(self, status) if status else ""


VIETNAMESE = Words()


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _el(tag: str, children: str = "", **attrs: object) -> str:
    """An element; `children` is markup already escaped, attribute values are quoted here."""
    parts = "".join(f" {key.rstrip('_').replace('_', '-')}="
                    f"{quoteattr(_n(value) if isinstance(value, int | float) else _clean(value))}"
                    for key, value in attrs.items() if value is not None)
    return f"<{tag}{parts}>{children}</{tag}>" if children else f"<{tag}{parts}/>"


def _txt(x: float, y: float, text: str, **attrs: object) -> str:
    return _el("text", escape(_clean(text)), x=x, y=y, **attrs)


def _uid(title: str, description: str) -> str:
    """An id for this chart's title, desc and pattern, stable, distinct between charts on a page."""
    return "chart-" + format(zlib.crc32(f"{title}\n{description}".encode()), "08x")


def _svg(uid: str, title: str, description: str, height: float, body: str) -> str:
    head = _el("title", escape(title), id=f"{uid}-t") + _el("desc", escape(description), id=f"{uid}-d")
    return _el("svg", head + body, xmlns="http://www.w3.org/2000/svg", role="img", width="100%",
               viewBox=f"0 0 {WIDTH} {_n(height)}", aria_labelledby=f"{uid}-t {uid}-d",
               font_family=FONT, font_size=FONT_SIZE, fill=INK)


def _empty(uid: str, title: str, description: str, words: Words) -> str:
    note = _txt(WIDTH / 2, EMPTY_HEIGHT / 2 + 5, words.no_data, text_anchor="middle", fill=MUTED)
    return _svg(uid, title, description, EMPTY_HEIGHT, note)


def _scale(max_value: float) -> Callable[[float], float]:
    """Value -> fraction of the axis, clamped to 0..1."""
    if not max_value > 0:
        raise ValueError("max_value must be positive")
    return lambda value: min(max(value, 0.0), max_value) / max_value


def _legend(entries: Sequence[tuple[str, str]], y: float) -> tuple[str, float]:
    """Swatch-and-text entries left to right, wrapping; returns the markup and the y below it."""
    x, parts = 10.0, []
    for swatch, text in entries:
        width = 30 + len(text) * CHAR_WIDTH + 20
        if x + width > WIDTH and x > 10:
            x, y = 10.0, y + LEGEND_ROW
        parts.append(_el("g", swatch + _txt(30, 4, text), transform=f"translate({_n(x)} {_n(y)})"))
        x += width
    return "".join(parts), y + LEGEND_ROW


def _target_mark(x1: float, y1: float, x2: float, y2: float) -> str:
    """A dashed black line over a white underlay, visible on dark and light fills alike."""
    under = _el("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke="#fff", stroke_width=4)
    return under + _el("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke="#000", stroke_width=2,
                       stroke_dasharray=TARGET_DASH, class_="target")


def _bar_fill(status: str, uid: str) -> str:
    if status not in STATUS_FILL:
        raise ValueError(f"unknown bar status {status!r}")
    return f"url(#{uid}-hatch)" if status == "behind" else STATUS_FILL[status]


def _hatch(uid: str) -> str:
    stripes = (_el("rect", width=6, height=6, fill=HATCH_BACKGROUND)
               + _el("line", x1=1.5, y1=0, x2=1.5, y2=6, stroke=STATUS_FILL["behind"], stroke_width=3))
    return _el("defs", _el("pattern", stripes, id=f"{uid}-hatch", width=6, height=6,
                           patternUnits="userSpaceOnUse", patternTransform="rotate(45)"))


def _bar_legend(bars: Sequence[Bar], uid: str, words: Words) -> list[tuple[str, str]]:
    entries = [(_el("rect", y=-6, width=24, height=12, fill=_bar_fill(status, uid),
                    stroke=STATUS_FILL[status]), words.status(status))
               for status in ("met", "close", "behind") if any(bar.status == status for bar in bars)]
    if any(bar.target is not None for bar in bars):
        entries.append((_target_mark(12, -8, 12, 8), words.target))
    return entries


def _bar_row(bar: Bar, y: float, x_of: Callable[[float], float], suffix: str, uid: str, words: Words) -> str:
    name, value = _clean(bar.label), words.number(bar.value) + suffix
    summary = f"{name}: {value}" + (
        "" if bar.target is None else f" ({words.target} {words.number(bar.target)}{suffix})")
    end = x_of(bar.value)
    parts = [_el("title", escape(summary)),
             _txt(LABEL_RIGHT, y + BAR_HEIGHT - 4, _truncate(name, MAX_LABEL_CHARS), text_anchor="end"),
             _el("rect", x=BAR_LEFT, y=y, width=end - BAR_LEFT, height=BAR_HEIGHT, fill=_bar_fill(bar.status, uid),
                 stroke=STATUS_FILL[bar.status], class_=f"bar bar-{bar.status or 'plain'}")]
    if bar.target is not None:
        target_x = x_of(bar.target)
        parts.append(_target_mark(target_x, y - 4, target_x, y + BAR_HEIGHT + 4))
        end = max(end, target_x)
    parts.append(_txt(end + 6, y + BAR_HEIGHT - 4, value, font_weight="bold"))
    return _el("g", "".join(parts))


def _ticks(max_value: float) -> list[float]:
    return [max_value * tick / TICKS for tick in range(TICKS + 1)]


def _x_grid(top: float, bottom: float, x_of: Callable[[float], float], max_value: float, suffix: str,
            words: Words) -> str:
    return "".join(_el("line", x1=x_of(v), y1=top, x2=x_of(v), y2=bottom, stroke=GRID)
                   + _txt(x_of(v), bottom + 16, words.number(v) + suffix, text_anchor="middle", fill=MUTED)
                   for v in _ticks(max_value))


def bar_chart(bars: Sequence[Bar], *, title: str, description: str,
              value_suffix: str = "%", max_value: float = 100, words: Words = VIETNAMESE) -> str:
    """Horizontal bars, one row per unit, each with its own dashed target mark and value label.

    Names longer than MAX_LABEL_CHARS are cut with "…"; the full name, value and target stay in
    the row's <title> (a tooltip, and read by screen readers). No bars gives a "no data" note.
    """
    title, description = _clean(title), _clean(description)
    uid = _uid(title, description)
    if not bars:
        return _empty(uid, title, description, words)
    fraction = _scale(max_value)
    x_of = lambda value: BAR_LEFT + fraction(value) * (BAR_RIGHT - BAR_LEFT)  # noqa: E731
    legend, top = _legend(_bar_legend(bars, uid, words), 16)
    top += 8
    bottom = top + len(bars) * ROW_HEIGHT
    rows = "".join(_bar_row(bar, top + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2, x_of, value_suffix, uid,
                            words) for i, bar in enumerate(bars))
    body = _hatch(uid) + legend + _x_grid(top, bottom, x_of, max_value, value_suffix, words) + rows
    return _svg(uid, title, description, bottom + 26, body)


def _marker(shape: str, x: float, y: float, color: str) -> str:
    if shape == "circle":
        return _el("circle", cx=x, cy=y, r=3.5, fill=color)
    if shape == "square":
        return _el("rect", x=x - 3.5, y=y - 3.5, width=7, height=7, fill=color)
    corners = ((0, -5), (4.5, 3), (-4.5, 3)) if shape == "triangle" else ((0, -5), (5, 0), (0, 5), (-5, 0))
    return _el("path", d="M" + " L".join(f"{_n(x + dx)} {_n(y + dy)}" for dx, dy in corners) + " Z", fill=color)


def _series(name: str, points: Sequence[tuple[float, float]], style: tuple[str, str, str]) -> str:
    color, dash, shape = style
    line = _el("polyline", points=" ".join(f"{_n(x)},{_n(y)}" for x, y in points), fill="none",
               stroke=color, stroke_width=2, stroke_dasharray=dash or None, stroke_linejoin="round",
               class_="series")
    return _el("g", _el("title", escape(_clean(name))) + line + "".join(_marker(shape, x, y, color) for x, y in points))


def _series_swatch(style: tuple[str, str, str]) -> str:
    color, dash, shape = style
    return _el("line", x1=0, y1=0, x2=24, y2=0, stroke=color, stroke_width=2,
               stroke_dasharray=dash or None) + _marker(shape, 12, 0, color)


def _x_axis(points: Sequence[Point], xs: Sequence[float], bottom: float) -> str:
    """A tick per point; labels thinned to at most MAX_X_LABELS, always keeping the latest."""
    step = math.ceil(len(points) / MAX_X_LABELS)
    labelled = set(range(len(points) - 1, -1, -step))
    parts = [_el("line", x1=PLOT_LEFT, y1=bottom, x2=PLOT_RIGHT, y2=bottom, stroke=MUTED)]
    for i, (point, x) in enumerate(zip(points, xs, strict=True)):
        parts.append(_el("line", x1=x, y1=bottom, x2=x, y2=bottom + 4, stroke=MUTED))
        if i in labelled:
            parts.append(_txt(x, bottom + 18, point.label, text_anchor="middle", class_="x-label"))
    return "".join(parts)


def _y_grid(y_of: Callable[[float], float], max_value: float, suffix: str, words: Words) -> str:
    return "".join(_el("line", x1=PLOT_LEFT, y1=y_of(v), x2=PLOT_RIGHT, y2=y_of(v), stroke=GRID)
                   + _txt(PLOT_LEFT - 6, y_of(v) + 4, words.number(v) + suffix, text_anchor="end", fill=MUTED)
                   for v in _ticks(max_value))


def _side_labels(labels: Sequence[tuple[float, float, str, str]], top: float, bottom: float) -> str:
    """(x, y, text, weight) labels to the right of their line ends, nudged apart so none overlap."""
    labels = sorted(labels, key=lambda label: label[1])
    ys = [label[1] + 4 for label in labels]
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + SIDE_LABEL_GAP)
    ys[-1] = min(ys[-1], bottom + 4)
    for i in range(len(ys) - 2, -1, -1):
        ys[i] = min(ys[i], ys[i + 1] - SIDE_LABEL_GAP)
    return "".join(_txt(x + 8, max(y, top), text, font_weight=weight, **HALO)
                   for (x, _, text, weight), y in zip(labels, ys, strict=True))


def line_chart(points: Sequence[Point], *, title: str, description: str, targets: Sequence[TargetLine] = (),
               max_value: float = 100, value_suffix: str = "%", words: Words = VIETNAMESE) -> str:
    """One line per named series across the months, dashed target lines, the latest values as text.

    Series differ by colour, dash pattern and marker shape; a series missing at some month simply
    skips that point. No points (or no values at all) gives a "no data" note.
    """
    title, description = _clean(title), _clean(description)
    uid = _uid(title, description)
    names = list(dict.fromkeys(name for point in points for name in point.values))
    if not names:
        return _empty(uid, title, description, words)
    fraction = _scale(max_value)
    styles = {name: SERIES_STYLES[i % len(SERIES_STYLES)] for i, name in enumerate(names)}
    legend, top = _legend([(_series_swatch(styles[name]), name) for name in names], 16)
    top += 18
    bottom = top + PLOT_HEIGHT
    y_of = lambda value: bottom - fraction(value) * PLOT_HEIGHT  # noqa: E731
    gap = (PLOT_RIGHT - PLOT_LEFT) / max(len(points) - 1, 1)
    xs = [(PLOT_LEFT + PLOT_RIGHT) / 2] if len(points) == 1 else [PLOT_LEFT + i * gap for i in range(len(points))]
    parts = [legend, _y_grid(y_of, max_value, value_suffix, words), _x_axis(points, xs, bottom)]
    labels = []
    for target in targets:
        y = y_of(target.value)
        parts.append(_target_mark(PLOT_LEFT, y, PLOT_RIGHT, y))
        text = f"{_truncate(_clean(target.label), 20)} {words.number(target.value)}{value_suffix}"
        labels.append((PLOT_RIGHT, y, text, "normal"))
    for name in names:
        series = [(x, y_of(point.values[name]), point.values[name])
                  for x, point in zip(xs, points, strict=True) if name in point.values]
        parts.append(_series(name, [(x, y) for x, y, _ in series], styles[name]))
        x, y, value = series[-1]
        labels.append((x, y, f"{_truncate(_clean(name), 16)} {words.number(value)}{value_suffix}", "bold"))
    parts.append(_side_labels(labels, top, bottom))
    return _svg(uid, title, description, bottom + 30, "".join(parts))
