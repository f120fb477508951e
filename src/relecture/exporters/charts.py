"""The HTML report's charts: matplotlib figures written as SVG, ready to inline in the page.

matplotlib runs headless (the Agg backend, no pyplot, no display) and writes text as SVG
``<text>`` (escaped by matplotlib; data goes through ``report_safe`` and has ``$`` escaped so it
is never read as mathtext). Each chart is post-processed so several can live in one HTML page
under a strict CSP: its ids get a per-chart prefix (matplotlib numbers them from 1 in every
figure), the namespace declarations (the HTML parser knows them), the global ``*{...}`` style and the RDF metadata are dropped, the fixed size gives way
to the viewBox (the page scales it), and a ``<title>``/``<desc>`` pair is its text alternative.

Colours are Okabe and Ito's palette, which stays apart under the common colour-vision
deficiencies; severity is also a hatch pattern and a legend label, so it survives greyscale print.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # never a display, even if something imports pyplot later

from relecture.exporters.report_common import StripCell
from relecture.intervals import Interval
from relecture.model import SEVERITIES
from relecture.textsafe import report_safe

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Okabe & Ito (2008); the severities get lighter to darker, so their order survives greyscale.
SEVERITY_COLOUR: dict[str, str] = {
    "neutral": "#999999",
    "minor": "#56B4E9",
    "major": "#E69F00",
    "critical": "#D55E00",
}
# Line hatches only: dot hatches cost 20-70 KB of SVG path each.
SEVERITY_HATCH: dict[str, str] = {"neutral": "", "minor": "\\\\", "major": "//", "critical": "xx"}
STATUS_COLOUR: dict[str, str] = {
    "approved": "#009E73",
    "todo": "#EEEEEE",
    "needs-work": "#F0E442",
    "rejected": "#CC79A7",
}
STATUS_HATCH: dict[str, str] = {"approved": "", "todo": "", "needs-work": "--", "rejected": "++"}
NONE_COLOUR = "#FFFFFF"
SCORE_COLOUR = "#0072B2"
MAX_CATEGORIES = 20  # more bars than this are unreadable; the rest are summed as one bar
MAX_LABEL = 38
# Inches at 72 SVG units each. Narrow on purpose: on a phone the page scales the chart down to
# its width, and a narrower figure keeps 9-point text readable there (about 9 CSS px at 390 px).
WIDTH = 6.4
MQM_BINS: tuple[tuple[str, float, float], ...] = (
    # label, low (exclusive, except the first), high (inclusive)
    ("0", -1.0, 0.0),
    ("≤ 1", 0.0, 1.0),
    ("1–5", 1.0, 5.0),
    ("5–10", 5.0, 10.0),
    ("10–25", 10.0, 25.0),
    ("> 25", 25.0, float("inf")),
)

_RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # real <text>: selectable, searchable, read by screen readers
    "svg.hashsalt": "relecture",  # stable ids: the same review gives the same bytes
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    "hatch.color": "#333333",
}


@dataclass(frozen=True)
class Chart:
    key: str  # unique in the page: the element id, and the prefix of the SVG's own ids
    title: str
    description: str  # the text alternative: what the chart shows, in words
    svg: str


def label(text: str, limit: int = MAX_LABEL) -> str:
    """Data as chart text: visible control characters, bounded length, no mathtext."""
    text = report_safe(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


def _to_svg(fig: Figure, key: str, title: str, description: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = re.sub(r'\s*<style type="text/css">[^<]*</style>', "", svg, count=1)
    svg = _ID.sub(lambda m: f'id="{key}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)
    head_end = svg.index(">") + 1
    # The HTML parser puts inline <svg> (and xlink:href) in their namespaces itself.
    head = re.sub(r'\s(width|height|xmlns|xmlns:xlink|version)="[^"]*"', "", svg[:head_end])
    head = head.replace(
        "<svg ", f'<svg class="chart" role="img" aria-labelledby="{key}-title {key}-desc" ', 1
    )
    alt = (
        f'\n <title id="{key}-title">{escape(report_safe(title))}</title>'
        f'\n <desc id="{key}-desc">{escape(report_safe(description))}</desc>'
    )
    return head + alt + svg[head_end:].rstrip() + "\n"


def _chart(fig: Figure, key: str, title: str, description: str) -> Chart:
    return Chart(key, title, description, _to_svg(fig, key, title, description))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- errors by category and severity -----------------------------------------------------------


def category_chart(by_category: dict[str, dict[str, int]], key: str = "chart-categories") -> Chart | None:
    """Horizontal stacked bars: annotated errors per category, split by severity."""
    rows = sorted(by_category.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    rows = [(c, counts) for c, counts in rows if sum(counts.values())]
    if not rows:
        return None
    if len(rows) > MAX_CATEGORIES:
        rest = rows[MAX_CATEGORIES - 1:]
        merged = {s: sum(counts.get(s, 0) for _, counts in rest) for s in SEVERITIES}
        rows = [*rows[: MAX_CATEGORIES - 1], (f"{len(rest)} other categories", merged)]
    rows.reverse()  # matplotlib draws the first bar at the bottom: biggest on top
    with matplotlib.rc_context(_RC):
        fig = _figure(WIDTH, 1.1 + 0.3 * len(rows))
        ax = fig.subplots()
        left = [0] * len(rows)
        for severity in reversed(SEVERITIES):  # critical first, at the left
            widths = [counts.get(severity, 0) for _, counts in rows]
            if not any(widths):
                continue
            bars = ax.barh(range(len(rows)), widths, left=left, color=SEVERITY_COLOUR[severity],
                           hatch=SEVERITY_HATCH[severity], edgecolor="#333333", linewidth=0.5, label=severity)
            ax.bar_label(bars, labels=[str(w) if w else "" for w in widths], label_type="center", fontsize=7,
                         bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(range(len(rows)), [label(c) for c, _ in rows])
        ax.set_xlabel("annotated errors")
        ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # a MaxNLocator
        for i, total in enumerate(left):
            ax.text(total, i, f" {total}", va="center", fontsize=8, fontweight="bold")
        ax.set_xlim(0, max(left) * 1.12)
        fig.legend(title="severity", loc="outside upper center", ncols=4, fontsize=8, title_fontsize=8,
                   frameon=False)
    top = rows[-1]
    parts = ", ".join(f"{top[1][s]} {s}" for s in reversed(SEVERITIES) if top[1].get(s))
    description = (
        f"Stacked bars of annotated errors for {_plural(len(rows), 'category')}, split by severity "
        f"(critical, major, minor, neutral). Most errors: {report_safe(top[0])} with "
        f"{sum(top[1].values())} ({parts}). The table below gives every count."
    )
    return _chart(fig, key, "Errors by category and severity", description)


# --- the document strip ------------------------------------------------------------------------


def _runs(values: Sequence[str | None]) -> list[tuple[int, int, str | None]]:
    """Consecutive equal values as (start, length, value): one rectangle per run, not per cell."""
    out: list[tuple[int, int, str | None]] = []
    for i, value in enumerate(values):
        if out and out[-1][2] == value:
            start, length, _ = out[-1]
            out[-1] = (start, length + 1, value)
        else:
            out.append((i, 1, value))
    return out


def strip_chart(cells: list[StripCell], segments: int, key: str = "chart-strip") -> Chart | None:
    """The document from first to last segment: worst annotated error, worst open flag and
    status of each stretch, one row each."""
    if not cells:
        return None
    rows: list[tuple[str, list[str | None], dict[str, str], dict[str, str]]] = [
        ("errors", [c.error for c in cells], SEVERITY_COLOUR, SEVERITY_HATCH),
        ("open flags", [c.flag for c in cells], SEVERITY_COLOUR, SEVERITY_HATCH),
        ("status", [c.status for c in cells], STATUS_COLOUR, STATUS_HATCH),
    ]
    with matplotlib.rc_context(_RC):
        fig = _figure(WIDTH, 3.0)
        density, ax = fig.subplots(2, 1, sharex=True, height_ratios=(1, 2))
        edges = [c.first for c in cells] + [cells[-1].last + 1]
        # Above the strip, errors per segment in each stretch: where the worst saturates (a long
        # document, every stretch holds a major error) the density still shows the clusters.
        density.bar([c.first for c in cells], [c.errors / c.size for c in cells],
                    width=[c.size for c in cells], align="edge", color=SCORE_COLOUR, linewidth=0)
        density.set_ylabel("errors per\nsegment", fontsize=7)
        density.tick_params(axis="x", length=0)
        for y, (_, values, colours, hatches) in enumerate(reversed(rows)):
            for start, length, value in _runs(values):
                ax.broken_barh(
                    [(edges[start], edges[start + length] - edges[start])], (y - 0.4, 0.8),
                    facecolors=NONE_COLOUR if value is None else colours[value],
                    hatch=None if value is None else hatches[value] or None,
                    edgecolor="#555555" if value is not None else "#DDDDDD", linewidth=0.3,
                )
        ax.set_yticks(range(len(rows)), [name for name, *_ in reversed(rows)])
        ax.set_xlim(0, segments)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlabel("segment (document order)")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        from matplotlib.patches import Patch

        for where, title, colours, hatches, names in (
            ("outside lower left", "errors and flags", SEVERITY_COLOUR, SEVERITY_HATCH, reversed(SEVERITIES)),
            ("outside lower right", "status", STATUS_COLOUR, STATUS_HATCH, STATUS_COLOUR),
        ):
            handles = [Patch(facecolor=colours[s], hatch=hatches[s] or None, edgecolor="#555555", label=s)
                       for s in names]
            fig.legend(handles=handles, loc=where, ncols=4, fontsize=7, title=title, title_fontsize=7,  # type: ignore[call-overload]
                       frameon=False)
    per = "" if len(cells) == segments else f" Each place covers about {segments / len(cells):.0f} segments and shows the worst of them."
    with_errors = sum(1 for c in cells if c.error)
    worst = next((c for s in ("critical", "major") for c in cells if c.error == s), None)
    densest = max(cells, key=lambda c: (c.errors / c.size, -c.first))
    description = (
        f"The {_plural(segments, 'segment')} in document order: above, annotated errors per segment; "
        f"below, three rows: worst annotated error, worst open flag and status.{per} Densest: "
        f"{densest.label} ({densest.errors / densest.size:.2g} errors per segment). {with_errors} of {len(cells)} places have an annotated error"
        + (f"; the first {worst.error} one is at {worst.label}." if worst else ".")
    )
    return _chart(fig, key, "The document: where the errors are", description)


# --- distribution of segment scores ------------------------------------------------------------


def mqm_bins(scores: Sequence[float]) -> list[tuple[str, int]]:
    counts = [0] * len(MQM_BINS)
    for score in scores:
        for i, (_, low, high) in enumerate(MQM_BINS):
            if low < score <= high:
                counts[i] += 1
                break
    return [(name, count) for (name, _, _), count in zip(MQM_BINS, counts, strict=True)]


def esa_bins(scores: Sequence[int]) -> list[tuple[str, int]]:
    counts = [0] * 10
    for score in scores:
        counts[min(9, max(0, score) // 10)] += 1
    return [(f"{10 * i}–{10 * i + 9 + (i == 9)}", c) for i, c in enumerate(counts)]


def distribution_chart(mqm: Sequence[float], esa: Sequence[int], key: str = "chart-distribution") -> Chart | None:
    panels = []
    if mqm:
        panels.append(("MQM penalty per rated segment (0 = no error)", mqm_bins(mqm), "rated segments"))
    if esa:
        panels.append(("ESA score (100 = perfect)", esa_bins(esa), "scored segments"))
    if not panels:
        return None
    with matplotlib.rc_context(_RC):
        fig = _figure(WIDTH, 2.6)
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for ax, (xlabel, bins, ylabel) in zip(axes, panels, strict=True):
            bars = ax.bar([name for name, _ in bins], [c for _, c in bins], color=SCORE_COLOUR,
                          edgecolor="#333333", linewidth=0.5)
            ax.bar_label(bars, labels=[str(c) if c else "" for _, c in bins], fontsize=7)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.margins(y=0.15)
            if len(bins) > 6:
                ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    parts = []
    if mqm:
        clean = sum(1 for s in mqm if s == 0)
        parts.append(f"MQM: {clean} of {_plural(len(mqm), 'rated segment')} have no error; the largest penalty is {max(mqm):g}")
    if esa:
        parts.append(f"ESA: {len(esa)} scored, from {min(esa)} to {max(esa)}")
    description = "Bar charts of how many segments fall in each score range. " + "; ".join(parts) + "."
    return _chart(fig, key, "Distribution of segment scores", description)


# --- scores per system and per rater -----------------------------------------------------------


def group_chart(groups: dict[str, Interval], what: str, key: str, lower_is_better: bool = True) -> Chart | None:
    """Mean score of each system (or rater) with its 95 % bootstrap interval, best on top."""
    if len(groups) < 2:
        return None
    rows = sorted(groups.items(), key=lambda kv: (kv[1].mean if lower_is_better else -kv[1].mean, kv[0]))
    rows.reverse()  # best on top
    with matplotlib.rc_context(_RC):
        fig = _figure(WIDTH, 1.1 + 0.3 * len(rows))
        ax = fig.subplots()
        means = [iv.mean for _, iv in rows]
        lows = [iv.mean - iv.low if iv.low is not None else 0 for _, iv in rows]
        highs = [iv.high - iv.mean if iv.high is not None else 0 for _, iv in rows]
        ax.errorbar(means, range(len(rows)), xerr=[lows, highs], fmt="o", color=SCORE_COLOUR,
                    ecolor="#333333", elinewidth=1, capsize=3, markersize=5)
        for i, (_, iv) in enumerate(rows):
            ax.annotate(f"{iv.mean:.2f}", (iv.high if iv.high is not None else iv.mean, i),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=7)
        ax.set_yticks(range(len(rows)), [label(name) for name, _ in rows])
        ax.set_xlabel(what + " (" + ("lower" if lower_is_better else "higher") + " is better; bars: 95 % bootstrap interval)")
        ax.margins(x=0.15)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
    best, worst = rows[-1], rows[0]
    description = (
        f"{what} of {len(rows)} groups with 95 % percentile-bootstrap confidence intervals. "
        f"Best: {report_safe(best[0])} ({best[1].mean:.2f}); worst: {report_safe(worst[0])} "
        f"({worst[1].mean:.2f}). The table below gives every interval."
    )
    return _chart(fig, key, what, description)
