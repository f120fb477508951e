"""What the workbench's render caches must never do: show a segment as it was before a change.

The reading pane and the side panel keep each block's rendered lines (tui/text_view.py), the
segment list its rows and their styled lines (tui/segment_list.py); each test changes what a
cached block or row draws, moves away and back, and reads the screen.
"""

from __future__ import annotations

from tests.tui.conftest import make_app, screen_text, wait_for_text, wait_until
from textual.geometry import Region
from textual.widget import Widget

from relecture.tui.segment_list import SegmentList
from relecture.tui.text_view import TextView

SIZE = (120, 40)
LONG = "Une phrase assez longue pour tenir sur plusieurs lignes du panneau de lecture, " * 4


def reading(app) -> TextView:  # type: ignore[no-untyped-def]
    return app.review_screen.query_one("#reading-view", TextView)


async def test_post_edit_shows_after_moving_away_and_back(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "k", "j", "k")  # segment 1 and 2 drawn, and drawn again (cached)
        await pilot.press("e", "end", *" !", "enter")
        await wait_for_text(pilot, app, "Post-edit (difference from the translation)")
        await pilot.press("j")
        await wait_until(pilot, lambda: "Post-edit (difference" not in reading(app).text, "segment 2 shown")
        # Segment 1 is now the previous segment: its context line reads the post-edit.
        assert "Voici la traduction en français : !" in reading(app).text
        await pilot.press("k")
        text = await wait_for_text(pilot, app, "Post-edit (difference from the translation)")
        assert "segment s1" in text
        assert "Voici la traduction en français : !" in reading(app).text


async def test_dismissed_flag_reads_dismissed_after_moving_away_and_back(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_text(pilot, app, "Flags (1 open, 0 dismissed)")
        await pilot.press("j", "k")
        await wait_for_text(pilot, app, "Flags (1 open, 0 dismissed)")
        await pilot.press("x")
        await wait_for_text(pilot, app, "Flags (0 open, 1 dismissed)")
        await pilot.press("j", "k")
        await wait_until(pilot, lambda: app.review_screen.current_index == 0, "back on segment 1")
        text = await wait_for_text(pilot, app, "Flags (0 open, 1 dismissed)")
        assert "Flags (1 open" not in text


async def test_theme_change_repaints_segments_drawn_before(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "k")
        view = reading(app)
        dark = view.rich_style.bgcolor
        assert dark in {s.style.bgcolor for line in view._lines for s in line if s.style}
        app.theme = "textual-light"
        await wait_until(pilot, lambda: view.rich_style.bgcolor != dark, "the light theme applied")
        light = view.rich_style.bgcolor
        await pilot.press("j", "k")  # back to blocks drawn in the dark theme
        await wait_until(pilot, lambda: app.review_screen.current_index == 0, "back on segment 1")
        for widget in (view, app.review_screen.query_one("#side", TextView)):
            backgrounds = {s.style.bgcolor for line in widget._lines for s in line if s.style}
            assert widget.rich_style.bgcolor in backgrounds
            assert dark not in backgrounds and app.review_screen.query_one("#side", TextView).rich_style.bgcolor != dark
        assert view.rich_style.bgcolor == light


async def test_resize_rewraps_segments_drawn_before(review_file) -> None:
    path = review_file(targets=[LONG, "Court.", LONG + "fin"])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "k")
        view = reading(app)
        wide, before = len(view._lines), view.scrollable_content_region.width
        await pilot.resize_terminal(100, 40)
        await wait_until(pilot, lambda: view.scrollable_content_region.width < before, "the narrower pane")
        await pilot.press("j", "k")
        await wait_until(pilot, lambda: app.review_screen.current_index == 0, "back on segment 1")
        width = view.scrollable_content_region.width
        assert len(view._lines) > wide  # the long target wraps on more lines
        assert all(line.cell_length == width for line in view._lines)
        assert "Une phrase assez longue" in screen_text(app)


async def test_list_rows_are_drawn_as_textual_would_style_them(review_file) -> None:
    """The list sends its cached row strips past Textual's styles cache: they must be the very
    lines the styles cache would have made, on every theme."""
    path = review_file(count=80)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_text(pilot, app, "80 segments")
        lst = app.review_screen.query_one(SegmentList)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            for _ in range(45):  # past the bottom: the list scrolls
                await pilot.press("j")
            await wait_until(pilot, lambda: lst.scroll_offset.y > 0, "the list scrolled")
            region = Region(0, 0, lst.size.width, lst.size.height)
            assert lst._bare()  # the short cut is taken here, so it is what is compared
            fast = lst.render_lines(region)
            lst._styles_cache.clear()
            styled = Widget.render_lines(lst, region)
            assert [list(s) for s in fast] == [list(s) for s in styled]
            await pilot.press("g")
