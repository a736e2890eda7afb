"""Geometry of the report's inline SVG charts: numbers in, shapes out. The HTML template draws
them (its autoescaping covers every label); nothing here is markup."""

from __future__ import annotations

from dataclasses import dataclass

from scorecard.report.campaigns import CampaignSummary
from scorecard.report.summary import Summary, TeamSummary, number

LEVEL_COLORS = {"gold": "#d4a72c", "silver": "#8c959f", "bronze": "#b46a3c"}
PALETTE = ["#1f6feb", "#8250df", "#1a7f37", "#bf3989", "#0969da", "#9a6700"]
NONE_COLOR = "#d0d7de"


def level_colors(levels: list[str]) -> list[str]:
    """A colour per rank: 0 (no level) first, then each level, lowest first."""
    out = [NONE_COLOR]
    for i, name in enumerate(levels):
        out.append(LEVEL_COLORS.get(name.lower(), PALETTE[i % len(PALETTE)]))
    return out


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # the text beside the bar
    y: float
    width: float
    color: str
    title: str  # the tooltip


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    title: str

    @property
    def bar_x(self) -> int:
        return self.label_width


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    points: str  # the polyline's "x,y x,y ..."
    dots: list[tuple[float, float, str]]  # (x, y, tooltip)


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str
    anchor: str = "middle"  # where the label sits: start, middle or end


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: float
    plot_height: float
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    title: str


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    color: str
    title: str


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def level_bars(s: Summary, width: int = 520) -> BarChart:
    colors = level_colors(s.levels)
    total = len(s.repos)
    biggest = max([s.counts.get(lv, 0) for lv in s.levels_desc] + [1])
    label_width, bar_height, gap = 90, 22, 10
    room = width - label_width - 110
    bars = []
    for i, lv in enumerate(s.levels_desc):
        n = s.counts.get(lv, 0)
        name = lv if lv is not None else "No level"
        bars.append(
            Bar(
                name,
                f"{n:,} ({_pct(n, total)})",
                i * (bar_height + gap),
                max(room * n / biggest, 1 if n else 0),
                colors[s.rank(lv)],
                f"{name}: {n:,} of {total:,} repositories",
            )
        )
    return BarChart(
        width,
        len(bars) * (bar_height + gap),
        label_width,
        bar_height,
        bars,
        "Repositories per level",
    )


def pillar_bars(s: Summary, width: int = 520) -> BarChart:
    label_width, bar_height, gap = 90, 22, 10
    room = width - label_width - 110
    bars = []
    for i, p in enumerate(s.pillars):
        bars.append(
            Bar(
                p.pillar,
                f"{_pct(p.met, p.counted)} met",
                i * (bar_height + gap),
                room * p.ratio,
                "#2da44e",
                f"{p.pillar}: {p.met:,} of {p.counted:,} graded checks met",
            )
        )
    return BarChart(
        width,
        max(len(bars), 1) * (bar_height + gap),
        label_width,
        bar_height,
        bars,
        "Checks met per pillar, across every repository",
    )


def _x_ticks(labels: list[str], left: float, plot_width: float) -> list[Tick]:
    n = len(labels)
    if n == 0:
        return []
    step = max(1, (n + 5) // 6)
    picks = list(range(0, n, step))
    if picks[-1] != n - 1:
        picks.append(n - 1)
    if len(picks) > 1 and picks[-1] - picks[-2] < step:
        del picks[-2]  # labels must not overlap
    return [
        Tick(
            _x(i, n, left, plot_width),
            labels[i],
            "middle" if n == 1 else "start" if i == 0 else "end" if i == n - 1 else "middle",
        )
        for i in picks
    ]


def _x(i: int, n: int, left: float, plot_width: float) -> float:
    return left + (plot_width / 2 if n == 1 else plot_width * i / (n - 1))


def _nice_max(value: float) -> float:
    for step in (
        1,
        2,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        250,
        500,
        1000,
        2000,
        2500,
        5000,
        10_000,
        20_000,
        25_000,
        50_000,
        100_000,
    ):
        if value <= step * 4:
            return float(step * 4)
    return float(value)


def level_trend(s: Summary, width: int = 520, height: int = 220) -> LineChart:
    left, top, right, bottom = 44, 12, 12, 28
    pw, ph = width - left - right, height - top - bottom
    points = s.points
    labels = [p.scanned_at[:10] for p in points]
    colors = level_colors(s.levels)
    biggest = _nice_max(max([c for p in points for c in p.counts.values()] + [1]))
    series = []
    for lv in s.levels_desc:
        coords = []
        dots = []
        for i, p in enumerate(points):
            n = p.counts.get(lv, 0)
            x, y = _x(i, len(points), left, pw), top + ph - ph * n / biggest
            coords.append(f"{x:.1f},{y:.1f}")
            dots.append(
                (round(x, 1), round(y, 1), f"{p.scanned_at[:10]}: {n:,} {lv or 'No level'}")
            )
        series.append(Series(lv or "No level", colors[s.rank(lv)], " ".join(coords), dots))
    ticks = [Tick(top + ph - ph * f, number(biggest * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    return LineChart(
        width,
        height,
        left,
        top,
        pw,
        ph,
        series,
        ticks,
        _x_ticks(labels, left, pw),
        "Repositories per level, scan by scan",
    )


def _one_line(
    points: list[tuple[str, float, str]],
    top_value: float,
    ticks: list[tuple[float, str]],
    series: tuple[str, str],
    title: str,
    width: int,
    height: int,
) -> LineChart:
    """A chart of one series: ``points`` are (scan time, value, tooltip), ``ticks`` (value,
    label) on the y axis from 0 to ``top_value``; ``series`` its (label, colour)."""
    left, top, right, bottom = 44, 12, 12, 28
    pw, ph = width - left - right, height - top - bottom
    coords, dots = [], []
    for i, (_when, value, tip) in enumerate(points):
        x, y = _x(i, len(points), left, pw), top + ph - ph * value / top_value
        coords.append(f"{x:.1f},{y:.1f}")
        dots.append((round(x, 1), round(y, 1), tip))
    return LineChart(
        width,
        height,
        left,
        top,
        pw,
        ph,
        [Series(series[0], series[1], " ".join(coords), dots)],
        [Tick(top + ph - ph * v / top_value, label) for v, label in ticks],
        _x_ticks([when[:10] for when, _, _ in points], left, pw),
        title,
    )


def score_trend(s: Summary, width: int = 520, height: int = 220) -> LineChart:
    points = [
        (
            p.scanned_at,
            float(p.median or 0),
            f"{p.scanned_at[:10]}: median score {number(p.median)}",
        )
        for p in s.points
        if p.median is not None
    ]
    ticks = [(float(v), str(v)) for v in (0, 25, 50, 75, 100)]
    return _one_line(
        points, 100, ticks, ("Median score", "#0969da"), "Median score, scan by scan", width, height
    )


def burndown(c: CampaignSummary, width: int = 520, height: int = 180) -> LineChart:
    """A campaign's repositories left, scan by scan (a falling line is progress)."""
    biggest = _nice_max(max([n for _, n in c.burndown] + [1]))
    points = [(when, float(n), f"{when[:10]}: {n:,} left") for when, n in c.burndown]
    ticks = [(biggest * f, number(biggest * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    return _one_line(
        points,
        biggest,
        ticks,
        ("Repositories left", "#cf222e"),
        f"{c.info.name}: repositories left, scan by scan",
        width,
        height,
    )


def team_strip(s: Summary, t: TeamSummary, width: int = 240) -> list[Segment]:
    """A stacked bar of the team's repositories by level, highest first."""
    colors = level_colors(s.levels)
    total = len(t.repos) or 1
    out, x = [], 0.0
    for lv in s.levels_desc:
        n = t.counts.get(lv, 0)
        if not n:
            continue
        w = width * n / total
        out.append(
            Segment(round(x, 2), round(w, 2), colors[s.rank(lv)], f"{lv or 'No level'}: {n:,}")
        )
        x += w
    return out
