"""Charts drawn on the server as SVG: no JavaScript, no inline styles, so they work under the strict
CSP (settings.CONTENT_SECURITY_POLICY) and print as they are shown.

The functions here compute the geometry; templates/charts/bar.html and line.html draw it. Each series
differs by colour (each at least 4.5:1 against white) *and* by pattern or marker and dash, and every
bar carries its value as text, so nothing is told by colour alone. The SVG has a viewBox and scales to
its container's width (static/css/kumppanuus.css), so a chart reflows at 320 px. Pages put the same
data in an HTML table right after the chart.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format

# Dark blue, dark orange, dark green, purple: each 4.5:1 or more against white.
COLOURS = ("#1f4e9c", "#a33a00", "#1b6e3a", "#6b2c91")
# Bar fills: solid, diagonal stripes, dots, cross-hatch (defined per chart in bar.html).
PATTERNS = ("solid", "stripes", "dots", "hatch")
# Line charts: a marker shape and a dash per series.
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "8 4", "2 4", "10 4 2 4")

WIDTH = 600
LABEL_WIDTH = 600  # horizontal bars: each category's label has a line of its own, full width


def _integer(value: float) -> str:
    return number_format(round(value))


def nice_ceiling(value: float) -> tuple[float, float]:
    """An axis maximum of at least ``value`` and a tick step: 1, 2 or 5 times a power of ten, about four ticks."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(multiple * power for multiple in (1, 2, 5, 10) if multiple * power >= raw)
    if step < 1 and value >= 1:
        step = 1
    return step * math.ceil(value / step), step


@dataclass
class Bar:
    colour: str
    x: float
    y: float
    width: float
    height: float
    value_text: str
    text_x: float
    text_y: float


@dataclass
class BarRow:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class LegendItem:
    label: str
    colour: str
    pattern: str = "solid"
    marker: str = "circle"
    dash: str = ""
    x: float = 0
    y: float = 0

    @property
    def line_y(self) -> float:
        return self.y - 4

    @property
    def swatch_y(self) -> float:
        return self.y - 12

    @property
    def marker_path(self) -> str:
        return marker_path(self.marker, self.x + 12, self.y - 4)


@dataclass
class BarChart:
    id: str
    title: str
    width: int
    height: int
    rows: list[BarRow]
    legend: list[LegendItem]
    series: list[LegendItem]
    plot_left: float
    axis_y: float
    ticks: list[tuple[float, str]]
    axis_label: str
    axis_label_x: float
    axis_label_y: float
    empty: bool = False

    @property
    def tick_text_y(self) -> float:
        return self.axis_y + 16

    @property
    def axis_right(self) -> float:
        return self.width - 56


def bar_chart(
    *,
    id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    axis_label: str,
    maximum: float | None = None,
    format_value: Callable[[float], str] = _integer,
) -> BarChart:
    """Horizontal grouped bars: for each category, its label on a line and one bar per series under it."""
    bar_height, bar_gap, label_height, row_gap = 16, 3, 18, 12
    left, right = 16, 56  # room for the first tick's text, and at the right for the longest bar's value
    values = [value for _label, numbers in series for value in numbers if value is not None]
    top = max(values, default=0)
    axis_max, step = (maximum, maximum / 5) if maximum else nice_ceiling(top)
    plot_width = WIDTH - left - right
    styles = [
        LegendItem(label=label, colour=COLOURS[index % len(COLOURS)], pattern=PATTERNS[index % len(PATTERNS)])
        for index, (label, _numbers) in enumerate(series)
    ]
    rows, y = [], 8.0
    for position, category in enumerate(categories):
        label_y = y + 13
        y += label_height
        bars = []
        for index, (_label, numbers) in enumerate(series):
            value = numbers[position]
            width = 0 if not value else plot_width * value / axis_max
            text = "–" if value is None else format_value(value)
            bars.append(
                Bar(
                    colour=styles[index].colour, x=left, y=y, width=round(width, 1), height=bar_height, value_text=text,
                    text_x=round(left + width + 4, 1), text_y=y + bar_height - 4,
                )
            )
            y += bar_height + bar_gap
        rows.append(BarRow(label=category, label_y=label_y, bars=bars))
        y += row_gap
    axis_y = y
    ticks = []
    tick = 0.0
    while tick <= axis_max + 1e-9:
        ticks.append((round(left + plot_width * tick / axis_max, 1), format_value(tick)))
        tick += step
    legend = _legend(styles, axis_y + 44) if len(series) > 1 else []
    height = (legend[-1].y + 16) if legend else axis_y + 44
    return BarChart(
        id=id, title=title, width=WIDTH, height=round(height), rows=rows, legend=legend, series=styles,
        plot_left=left, axis_y=axis_y, ticks=ticks, axis_label=axis_label,
        axis_label_x=left + plot_width / 2, axis_label_y=axis_y + 34, empty=not values,
    )


def _legend(styles: list[LegendItem], y: float) -> list[LegendItem]:
    """One item per line: names may be long, and the chart is narrow on a phone."""
    items = []
    for index, style in enumerate(styles):
        items.append(
            LegendItem(
                label=style.label, colour=style.colour, pattern=style.pattern, marker=style.marker,
                dash=style.dash, x=8, y=y + index * 20,
            )
        )
    return items


def marker_path(shape: str, x: float, y: float) -> str:
    """An SVG path of the marker centred on (x, y)."""
    if shape == "square":
        return f"M{x - 4:.1f},{y - 4:.1f} h8 v8 h-8 z"
    if shape == "triangle":
        return f"M{x:.1f},{y - 5:.1f} l5,9 h-10 z"
    if shape == "diamond":
        return f"M{x:.1f},{y - 5.5:.1f} l5.5,5.5 l-5.5,5.5 l-5.5,-5.5 z"
    return f"M{x - 4:.1f},{y:.1f} a4,4 0 1,0 8,0 a4,4 0 1,0 -8,0 z"


@dataclass
class Point:
    x: float
    y: float
    value_text: str
    marker: str = ""

    @property
    def label_x(self) -> float:
        return self.x + 8


@dataclass
class Line:
    style: LegendItem
    points: list[Point]
    path: str
    last: Point | None
    last_label_y: float = 0


def _spread_last_values(lines: list[Line], gap: float = 14) -> None:
    """Moves the values written at the lines' ends apart, so equal values do not print over each other."""
    # From the lowest up, so none is pushed down onto the time axis' labels.
    ends = sorted((line for line in lines if line.last), key=lambda line: -line.last.y)
    previous = None
    for line in ends:
        label_y = line.last.y if previous is None else min(line.last.y, previous - gap)
        line.last_label_y = label_y
        previous = label_y


@dataclass
class LineChart:
    id: str
    title: str
    width: int
    height: int
    lines: list[Line]
    legend: list[LegendItem]
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    x_axis_label: str
    y_axis_label: str
    empty: bool = False

    @property
    def y_tick_x(self) -> float:
        return self.plot_left - 6

    @property
    def x_tick_end(self) -> float:
        return self.plot_bottom + 5

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + 20

    @property
    def x_axis_label_x(self) -> float:
        return (self.plot_left + self.plot_right) / 2

    @property
    def x_axis_label_y(self) -> float:
        return self.plot_bottom + 42


def line_chart(
    *,
    id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    x_axis_label: str,
    y_axis_label: str,
) -> LineChart:
    """Lines over time, one per series, each with its own marker and dash; the last value written at its end."""
    left, right, top, bottom = 52, 40, 24, 230
    values = [value for _label, numbers in series for value in numbers]
    axis_max, step = nice_ceiling(max(values, default=0))
    count = max(len(categories), 1)
    spacing = (WIDTH - left - right) / max(count - 1, 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * value / axis_max, 1)

    lines = []
    for index, (label, numbers) in enumerate(series):
        style = LegendItem(
            label=label, colour=COLOURS[index % len(COLOURS)], marker=MARKERS[index % len(MARKERS)],
            dash=DASHES[index % len(DASHES)],
        )
        points = []
        for position, value in enumerate(numbers):
            x, y = round(left + spacing * position, 1), y_of(value)
            points.append(Point(x=x, y=y, value_text=_integer(value), marker=marker_path(style.marker, x, y)))
        path = " ".join(f"{'M' if n == 0 else 'L'}{point.x},{point.y}" for n, point in enumerate(points))
        lines.append(Line(style=style, points=points, path=path, last=points[-1] if points else None))
    _spread_last_values(lines)
    y_ticks, tick = [], 0.0
    while tick <= axis_max + 1e-9:
        y_ticks.append((y_of(tick), _integer(tick)))
        tick += step
    # At most about eight labels on the time axis ("12/2026" is some 45 units wide), so they do not overlap.
    every = max(1, math.ceil(count / 8))
    x_labels = [
        (round(left + spacing * position, 1), category)
        for position, category in enumerate(categories)
        if position % every == 0 or position == count - 1
    ]
    if len(x_labels) > 1 and (count - 1) % every and x_labels[-1][0] - x_labels[-2][0] < spacing * every * 0.9:
        del x_labels[-2]  # the last label wins over one too close to it
    legend = _legend([line.style for line in lines], bottom + 62)
    height = legend[-1].y + 16 if legend else bottom + 60
    return LineChart(
        id=id, title=title, width=WIDTH, height=round(height), lines=lines, legend=legend,
        plot_left=left, plot_right=WIDTH - right, plot_top=top, plot_bottom=bottom, y_ticks=y_ticks,
        x_labels=x_labels, x_axis_label=x_axis_label, y_axis_label=y_axis_label, empty=not any(values),
    )
