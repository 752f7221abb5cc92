"""Charts as inline SVG strings: no script, no font or file fetched, and they print."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Bands, best first: green, amber, red (two bands: green, red).
BAND_COLOURS = {2: ["#d7efdc", "#f7d4d2"], 3: ["#d7efdc", "#fbeec2", "#f7d4d2"]}
BAND_EDGE = {2: ["#3b8a50", "#b3443c"], 3: ["#3b8a50", "#b5860f", "#b3443c"]}
SERIES = ["#2f5d8a", "#d08a2b", "#5b9c6b", "#a14c73", "#6f6fb8", "#8b6d4a", "#3a9ca6"]
INK = "#2b2f36"
GRID = "#d5d9de"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / max(ticks, 1)
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


@dataclass
class Column:
    """One period of a metric chart."""

    label: str
    value: float | None
    title: str  # tooltip: period, value, grade
    bands: list[tuple[float, float]] | None  # [lo, hi) of each band, best first


def metric_chart(
    columns: Sequence[Column],
    band_names: Sequence[str],
    fmt_tick,
    aria_label: str,
    width: int = 680,
    height: int = 210,
    cap: float | None = None,
) -> str:
    """Bars of a metric's value per period over the bands its bars draw in that period.
    cap: the axis never goes above it (1 = 100 % for rates)."""
    left, right, top, bottom = 62, 12, 10, 30
    pw, ph = width - left - right, height - top - bottom
    values = [c.value for c in columns if c.value is not None]
    edges = [e for c in columns if c.bands for lo, hi in c.bands for e in (lo, hi)]
    finite = [e for e in edges if math.isfinite(e)]
    hi_data = max(values + finite + [0.0])
    lo_data = min(values + finite) if (values or finite) else 0.0
    ymax = hi_data * 1.15 if hi_data > 0 else 1.0
    ymin = 0.0
    if lo_data > 0.6 * hi_data and hi_data > 0:
        # everything near the top (e.g. 95 % fulfilment): zoom, the axis says where it starts
        ymin = max(0.0, lo_data - (hi_data - lo_data) * 0.6 - hi_data * 0.02)
    step = _nice_step(ymax - ymin)
    ymin = math.floor(ymin / step) * step
    ymax = math.ceil(ymax / step) * step
    if cap is not None and hi_data <= cap:
        ymax = min(ymax, cap)
    if ymax <= ymin:
        ymax = ymin + step

    def y(v: float) -> float:
        v = min(max(v, ymin), ymax)
        return top + ph - (v - ymin) / (ymax - ymin) * ph

    n = max(len(columns), 1)
    cw = pw / n
    nb = len(band_names)
    fills = BAND_COLOURS.get(nb, BAND_COLOURS[3])
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(aria_label)}">'
    ]
    # Bands: one rectangle per run of periods with the same bars (a new rule version starts
    # a new run), so a chart has a few rectangles, not one per period and band.
    runs: list[tuple[int, int, list[tuple[float, float]]]] = []
    for i, c in enumerate(columns):
        if c.bands and runs and runs[-1][2] == c.bands and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i, runs[-1][2])
        elif c.bands:
            runs.append((i, i, c.bands))
    for first, last, bands in runs:
        x0 = left + first * cw
        span = (last - first + 1) * cw
        for b, (lo, hi) in enumerate(bands):
            y_top = y(hi if math.isfinite(hi) else ymax)
            y_bottom = y(lo if math.isfinite(lo) else ymin)
            if y_bottom - y_top <= 0:
                continue
            out.append(
                f'<rect x="{_num(x0)}" y="{_num(y_top)}" width="{_num(span + 0.5)}" '
                f'height="{_num(y_bottom - y_top)}" fill="{fills[min(b, len(fills) - 1)]}"/>'
            )
    tick = ymin
    while tick <= ymax + step / 1000:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(ty)}" y2="{_num(ty)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
            f'<text x="{left - 6}" y="{_num(ty + 4)}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{escape(fmt_tick(tick))}</text>'
        )
        tick += step
    every = max(1, math.ceil(n * 52 / pw))
    bw = max(2.0, min(cw * 0.55, 36))
    for i, c in enumerate(columns):
        cx = left + (i + 0.5) * cw
        if c.value is None:
            out.append(
                f'<text x="{_num(cx)}" y="{_num(top + ph - 4)}" text-anchor="middle" '
                f'font-size="10" fill="#6b7280"><title>{escape(c.title)}</title>n/a</text>'
            )
        else:
            base = y(ymin)
            yt = y(c.value)
            out.append(
                f'<rect class="value" x="{_num(cx - bw / 2)}" y="{_num(yt)}" width="{_num(bw)}" '
                f'height="{_num(max(base - yt, 1))}" fill="{INK}" fill-opacity="0.78">'
                f"<title>{escape(c.title)}</title></rect>"
            )
        if (n - 1 - i) % every == 0:
            out.append(
                f'<text x="{_num(cx)}" y="{height - 10}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{escape(c.label)}</text>'
            )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{_num(y(ymin))}" y2="{_num(y(ymin))}" '
        f'stroke="{INK}" stroke-width="0.8"/></svg>'
    )
    return "".join(out)


def stacked_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    aria_label: str,
    fmt_tick=lambda v: f"{v:g}",
    width: int = 680,
    height: int = 230,
    min_step: float = 1.0,
) -> str:
    """Stacked bars: one column per label, series = (name, colour, values per label).
    min_step: smallest step between axis ticks (1 for counts of sellers)."""
    left, right, top, bottom = 62, 12, 10, 30
    pw, ph = width - left - right, height - top - bottom
    totals = [sum(s[2][i] for s in series) for i in range(len(labels))]
    step = max(_nice_step(max(totals + [1])), min_step)
    ymax = math.ceil(max(totals + [1]) / step) * step

    def y(v: float) -> float:
        return top + ph - v / ymax * ph

    n = max(len(labels), 1)
    cw = pw / n
    bw = max(2.0, min(cw * 0.7, 40))
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(aria_label)}">'
    ]
    tick = 0.0
    while tick <= ymax + step / 1000:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(ty)}" y2="{_num(ty)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
            f'<text x="{left - 6}" y="{_num(ty + 4)}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{escape(fmt_tick(tick))}</text>'
        )
        tick += step
    every = max(1, math.ceil(n * 52 / pw))
    for i, label in enumerate(labels):
        cx = left + (i + 0.5) * cw
        acc = 0.0
        for name, colour, values in series:
            v = values[i]
            if not v:
                continue
            y0, y1 = y(acc), y(acc + v)
            out.append(
                f'<rect x="{_num(cx - bw / 2)}" y="{_num(y1)}" width="{_num(bw)}" '
                f'height="{_num(max(y0 - y1, 0.5))}" fill="{colour}">'
                f"<title>{escape(label)}: {escape(name)} {escape(fmt_tick(v))}</title></rect>"
            )
            acc += v
        if (n - 1 - i) % every == 0:
            out.append(
                f'<text x="{_num(cx)}" y="{height - 10}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{_num(y(0))}" y2="{_num(y(0))}" '
        f'stroke="{INK}" stroke-width="0.8"/></svg>'
    )
    return "".join(out)


def level_colour(level: int, top_level: int) -> str:
    """Status colour from worst (red) to best (green) by the status's level."""
    ramp = ["#b3443c", "#d9772b", "#e0b13a", "#9fbf5a", "#5b9c6b", "#3b8a50", "#2f6e40"]
    if top_level <= 0:
        return ramp[-1]
    return ramp[round(level / top_level * (len(ramp) - 1))]


def paired_chart(
    labels: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    aria_label: str,
    width: int = 680,
    height: int = 230,
) -> str:
    """Two bars per label: grey (current rules) and blue (proposed)."""
    left, right, top, bottom = 62, 12, 10, 30
    pw, ph = width - left - right, height - top - bottom
    peak = max(list(before) + list(after) + [1.0])
    step = _nice_step(peak)
    ymax = math.ceil(peak / step) * step

    def y(v: float) -> float:
        return top + ph - v / ymax * ph

    n = max(len(labels), 1)
    cw = pw / n
    bw = max(1.5, min(cw * 0.36, 22))
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(aria_label)}">'
    ]
    tick = 0.0
    while tick <= ymax + step / 1000:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(y(tick))}" y2="{_num(y(tick))}" '
            f'stroke="{GRID}" stroke-width="0.6"/><text x="{left - 6}" y="{_num(y(tick) + 4)}" '
            f'text-anchor="end" font-size="11" fill="{INK}">{tick:,.0f}</text>'
        )
        tick += step
    every = max(1, math.ceil(n * 52 / pw))
    for i, label in enumerate(labels):
        cx = left + (i + 0.5) * cw
        for offset, value, colour, name in (
            (-bw, before[i], "#8a8f98", "current rules"),
            (0.0, after[i], "#2f5d8a", "proposed"),
        ):
            out.append(
                f'<rect x="{_num(cx + offset)}" y="{_num(y(value))}" width="{_num(bw)}" '
                f'height="{_num(max(y(0) - y(value), 0.5))}" fill="{colour}">'
                f"<title>{escape(label)} {name}: {value:,.2f}</title></rect>"
            )
        if (n - 1 - i) % every == 0:
            out.append(
                f'<text x="{_num(cx)}" y="{height - 10}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
