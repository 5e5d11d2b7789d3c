"""Server-drawn SVG charts: the geometry is computed here, the template only writes it out (no JavaScript)."""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 260
BAR_HEIGHT = 22
GAP = 6
VALUE_ROOM = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    name: str
    title: str
    width: int
    height: int
    label_width: int
    bars: list[Bar]


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    label_x: int


@dataclass(frozen=True)
class Histogram:
    name: str
    title: str
    width: int
    height: int
    base_y: int
    columns: list[Column]


def _shown(value):
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def bar_chart(table) -> BarChart | None:
    """Horizontal bars of the table's chart column, one per row with a value."""
    rows = [(str(row[0]), row[table.chart_column]) for row in table.rows if row[table.chart_column] is not None]
    if not rows:
        return None
    top = max(value for _, value in rows) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (BAR_HEIGHT + GAP)
        short = label if len(label) <= 32 else label[:31] + "…"
        bars.append(Bar(short, value, _shown(value), y, max(1, round(room * value / top)), y + BAR_HEIGHT - 6))
    return BarChart(table.name, table.caption, WIDTH, len(rows) * (BAR_HEIGHT + GAP), LABEL_WIDTH, bars)


def histogram(table, *, height=200) -> Histogram | None:
    """Vertical adjoining columns: the distribution of the durations by bins of days."""
    if not table.rows or not any(row[1] for row in table.rows):
        return None
    top = max(row[1] for row in table.rows) or 1
    plot = height - 40
    width = (WIDTH - 20) // len(table.rows)
    columns = []
    for i, (label, value) in enumerate(table.rows):
        h = round(plot * value / top)
        x = 10 + i * width
        columns.append(Column(str(label), value, x, 20 + plot - h, width - 2, h, x + width // 2))
    return Histogram(table.name, table.caption, WIDTH, height, 20 + plot, columns)
