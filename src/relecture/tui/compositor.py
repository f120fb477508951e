"""A compositor that redraws only the screen lines a frame changes, widget by widget.

Textual's partial update renders, for every widget inside the bounding box of all the dirty
regions, every line of that box. A key dirties two rows of the segment list (left) and some
lines of the reading pane (middle): their box is most of the screen, so each frame rendered
the side panel, the scrollbar and every container behind them in full, about 340 lines for the
twenty or so that changed (the largest part of a key's CPU at 100,000 segments, bench/ui.py).

Here a widget renders only the lines on which a dirty span crosses its columns and some part of
it is not already covered by a widget in front of it (widgets are painted front to back, the
first to fill a cut wins, as in Textual). The terminal ends up showing the same cells: the same
spans, each filled by the same widget as before (tests/tui/test_compositor.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import cast

from rich.console import Console
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


class LineUpdate(ChopsUpdate):
    """Textual's update of changed spans, encoded without a rich ``Control`` per piece (a cursor
    move is the same escape sequence, written directly)."""

    def render_segments(self, console: Console) -> str:
        sequences: list[str] = []
        append = sequences.append
        chops = self.chops
        chop_ends = self.chop_ends
        last_y = self.spans[-1][0]
        for y, x1, x2 in self.spans:
            line = chops[y]
            ends = chop_ends[y]
            row = y + 1
            for end, (x, strip) in zip(ends, line.items(), strict=False):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    strip = strip.crop(0, min(end, x2) - x)
                append(f"\x1b[{row};{x + 1}H")  # rich's Control.move_to(x, y)
                append(strip.render(console))
            if y != last_y:
                append("\n")
        return "".join(sequences)


class LineCompositor(Compositor):
    def render_partial_update(self) -> LineUpdate | None:
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        spans = list(self._regions_to_spans(update_regions))
        chops = self._render_spans(spans)
        chop_ends = [cut_set[1:] for cut_set in self.cuts]
        return LineUpdate(chops, spans, chop_ends)

    def _render_spans(self, spans: list[tuple[int, int, int]]) -> Sequence[Mapping[int, Strip]]:
        cuts = self.cuts
        fromkeys = cast("Callable[[list[int]], dict[int, Strip | None]]", dict.fromkeys)
        chops: list[dict[int, Strip | None]] = [fromkeys(cut_set[:-1]) for cut_set in cuts]
        # Per line, the cuts (chop starts) a dirty span crosses: what is left to fill.
        pending: dict[int, list[int]] = {}
        for y, x1, x2 in spans:
            line_cuts = cuts[y]
            todo = pending.setdefault(y, [])
            todo.extend(cut for cut, end in pairwise(line_cuts) if cut < x2 and end > x1)
        intersection = Region.intersection
        for widget, (region, clip) in self.visible_widgets.items():
            if not pending:
                break
            left, top, width, rows = intersection(region, clip)
            if not (width and rows):
                continue
            right = left + width
            # The lines this widget has to draw: a crossed cut in its columns that no widget
            # in front of it has filled.
            lines = []
            for y in range(top, top + rows):
                waiting = pending.get(y)
                if waiting is not None and any(left <= cut < right for cut in waiting):
                    lines.append(y)
                    left_over = [cut for cut in waiting if not left <= cut < right]
                    if left_over:
                        pending[y] = left_over
                    else:
                        del pending[y]
            if not lines:
                continue
            # One render call from the first line to the last: each call costs the widget a pass
            # over its styles (the lines between are cached ones: a list row, a pane's line).
            first, last = lines[0], lines[-1]
            strips = widget.render_lines(Region(left - region.x, first - region.y, width, last - first + 1))
            for y in lines:
                strip = strips[y - first]
                chops_line = chops[y]
                final_cuts = [cut for cut in cuts[y] if right >= cut >= left]
                get = chops_line.get
                for cut, piece in zip(final_cuts, strip.divide([cut - left for cut in final_cuts[1:]]), strict=False):
                    if get(cut) is None:
                        chops_line[cut] = piece
        return cast("Sequence[Mapping[int, Strip]]", chops)
