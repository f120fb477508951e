"""The review screen's compositor (tui/compositor.py) redraws fewer lines than Textual's, and the
terminal must end up showing exactly what Textual's own partial update would have drawn.

Each test puts the same dirty regions in both, applies each update to a blank cell grid (as a
terminal would: cursor moves, then text) and compares the grids, character and style.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from tests.tui.conftest import make_app, wait_until
from textual._compositor import Compositor
from textual.geometry import Region

from relecture.tui.compositor import LineCompositor
from relecture.tui.side_panel import SidePanel

SIZE = (120, 40)
Cells = dict[tuple[int, int], tuple[str, str]]


def painted(update: object, console: Console) -> Cells:
    """The cells an update writes, as a terminal applies the bytes it sends (cursor moves, SGR
    codes, text)."""
    cells: Cells = {}
    x = y = 0
    sgr = ""
    data = update.render_segments(console)  # type: ignore[attr-defined]
    for move_y, move_x, codes, text in TOKENS.findall(data):
        if move_y:
            y, x = int(move_y) - 1, int(move_x) - 1
        elif text == "\n":
            continue
        elif text:
            for char in text:
                cells[(y, x)] = (char, sgr)
                x += cell_len(char)
        else:
            sgr = "" if codes in ("", "0") else codes
    return cells


TOKENS = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([0-9;]*)m|([^\x1b]+)")


def both(compositor: LineCompositor, regions: list[Region], console: Console) -> tuple[Cells, Cells]:
    compositor._dirty_regions.update(regions)
    stock = Compositor.render_partial_update(compositor)
    compositor._dirty_regions.update(regions)
    ours = compositor.render_partial_update()
    assert stock is not None and ours is not None
    return painted(stock, console), painted(ours, console)


REGION_SETS = [
    [Region(0, 5, 33, 1), Region(0, 6, 33, 1)],  # two list rows (old and new cursor)
    [Region(0, 5, 33, 1), Region(35, 3, 50, 12)],  # a list row and part of the reading pane
    [Region(86, 2, 34, 20), Region(0, 39, 120, 1)],  # the side panel and the key bar
    [Region(0, 0, 120, 40)],  # everything (a partial update as large as the screen)
    [Region(33, 1, 3, 38)],  # a strip across the list's scrollbar and the pane's edge
    [Region(10, 10, 1, 1), Region(100, 30, 7, 2), Region(60, 0, 30, 1)],  # odd cells, the header
]


async def test_partial_updates_paint_what_textual_would(review_file) -> None:
    app = make_app(review_file())
    console = Console(width=SIZE[0], height=SIZE[1], color_system="truecolor", force_terminal=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.review_screen
        compositor = screen._compositor
        assert isinstance(compositor, LineCompositor)
        for keys in ((), ("j",), ("j", "j", "n"), ("c",)):
            await pilot.press(*keys)
            await pilot.pause()
            for regions in REGION_SETS:
                stock, ours = both(compositor, regions, console)
                assert stock, regions
                assert ours == stock, (keys, regions)


async def test_a_move_redraws_the_side_panel_only_when_it_changes(review_file) -> None:
    """Segments 2 and 3 have no flag: their side panels read the same, and moving from one to
    the other renders no line of it (Textual's update rendered it whole with the pane beside)."""
    app = make_app(review_file())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await wait_until(pilot, lambda: app.review_screen.current_index == 1, "on segment 2")
        await pilot.pause()
        side = app.review_screen.query_one(SidePanel)
        rendered: list[Region] = []
        original = side.render_lines

        def spy(crop: Region):  # type: ignore[no-untyped-def]
            rendered.append(crop)
            return original(crop)

        side.render_lines = spy  # type: ignore[method-assign]
        await pilot.press("j")
        await wait_until(pilot, lambda: app.review_screen.current_index == 2, "on segment 3")
        await pilot.pause()
        assert "segment s3" in app.review_screen.reading.view.text
        assert rendered == []
