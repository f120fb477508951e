"""A read-only view of a few rich renderables, drawn with the line API.

Static widgets ask the whole screen for a new layout on every update (their height follows their
content), which costs tens of milliseconds per key. This view keeps its size, renders its blocks
once per content change (or width change) to strips, and only repaints.

Each block's strips are kept (an LRU keyed on what is drawn: the text, its spans and styles, the
width and the base style), so a block that looks as before is copied, not wrapped again: the
labels, headings and empty sections that most segments share, and every block of a segment
seen a moment ago (``j`` then ``k``). The key is the drawing itself, so an edit, a flag, a
theme or a width change makes a new key: nothing can be shown stale.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import RenderableType
from rich.segment import Segment as RichSegment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle

Block = tuple[str | None, RenderableType]  # (tag, renderable): a tag names a clickable region
MEMO_BLOCKS = 512  # rendered blocks kept per view (a few screens' worth of segments)
FINAL_LINES = 2048  # padded lines kept per view (see render_lines)


def signature(renderable: RenderableType) -> Hashable | None:
    """Everything that decides how ``renderable`` draws at a given width (None: not a Text,
    never memoised)."""
    if type(renderable) is not Text:
        return None
    text = renderable
    return (text.plain, tuple(text.spans), text.style, text.justify, text.overflow, text.no_wrap,
            text.end, text.tab_size)


class TextView(ScrollView, can_focus=False):
    class Clicked(Message):
        def __init__(self, view: TextView, tag: str | None) -> None:
            self.view = view
            self.tag = tag
            super().__init__()

        @property
        def control(self) -> TextView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._blocks: list[Block] = []
        self._lines: list[Strip] = []
        self._tags: list[str | None] = []
        self._width = 0
        self._blank: Strip | None = None
        self._memo: LRUCache[tuple[Hashable, int, Style], list[Strip]] = LRUCache(MEMO_BLOCKS)
        self._finals: LRUCache[int, tuple[Strip, tuple[object, ...], Strip]] = LRUCache(FINAL_LINES)

    def set_blocks(
        self, blocks: list[Block], *, keep_scroll: bool = False, reveal: str | None = None, at_top: bool = False
    ) -> None:
        """Show ``blocks`` from the top (or where it was, ``keep_scroll``), scrolled as little as
        needed to show every line of the block tagged ``reveal`` (its start, when taller than
        the view), or with ``at_top`` scrolled to put that block as high as it goes."""
        old = self._lines
        old_top = round(self.scroll_offset.y)
        # The very list shown already (a side panel with nothing of its own): its lines are
        # current, since every style or width change renders the blocks anew.
        if blocks is not self._blocks or not old:
            self._blocks = blocks
            self._render_blocks()
        top = old_top if keep_scroll else 0
        if reveal is not None:
            lines = self.line_range(reveal)
            if at_top and lines is not None:
                top = min(lines[0], self.max_scroll_y)
            else:
                top = self._top_showing(reveal, top)
        if top != old_top:
            self.scroll_to(y=top, animate=False, immediate=True)
            self.refresh()
            return
        # Repaint only the lines that differ: the compositor then skips every other screen line
        # (most segments leave the side panel and the blank tail of the reading pane unchanged).
        top = round(self.scroll_offset.y)
        # The whole width but a scrollbar's: a line's piece of the frame is then redrawn whole,
        # not cut at the right padding (a crop, a new strip and its escape codes every line).
        width = self.region.width - (self.scrollbar_size_vertical if self.show_vertical_scrollbar else 0)
        new = self._lines
        run = -1  # first line of the current run of changed lines: one region per run
        height = self.size.height
        for y in range(height + 1):
            i = top + y
            if y < height:
                before = old[i] if i < len(old) else None
                after = new[i] if i < len(new) else None
                changed = before is not after and before != after
            else:
                changed = False
            if changed and run < 0:
                run = y
            elif not changed and run >= 0:
                self.refresh(Region(0, run, width, y - run))
                run = -1

    def _top_showing(self, tag: str, top: int) -> int:
        lines = [i for i, t in enumerate(self._tags) if t == tag]
        if not lines:
            return top
        height = max(1, self.scrollable_content_region.height)
        first, last = lines[0], lines[-1]
        if first < top or last - first + 1 > height:
            return first
        if last >= top + height:
            return last - height + 1
        return top

    def line_range(self, tag: str) -> tuple[int, int] | None:
        """First and last line of the block tagged ``tag`` (None when absent)."""
        lines = [i for i, t in enumerate(self._tags) if t == tag]
        return (lines[0], lines[-1]) if lines else None

    @property
    def top(self) -> int:
        return round(self.scroll_offset.y)

    @property
    def text(self) -> str:
        """The plain text shown (for tests and accessibility)."""
        return "\n".join(strip.text.rstrip() for strip in self._lines)

    def first_line(self, tag: str) -> int | None:
        try:
            return self._tags.index(tag)
        except ValueError:
            return None

    def _render_blocks(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or not self.is_mounted:
            self._lines, self._tags, self._width, self._blank = [], [], 0, None
            return
        console = self.app.console
        options = console.options.update_width(width).update(highlight=False, markup=False)
        style = self.rich_style
        lines: list[Strip] = []
        tags: list[str | None] = []
        memo = self._memo
        for tag, renderable in self._blocks:
            sig = signature(renderable)
            key = (sig, width, style)
            strips = memo.get(key) if sig is not None else None
            if strips is None:
                # Final strips (base style, exact width) once here, so a repaint only copies.
                strips = [Strip(line).apply_style(style).crop_extend(0, width, style)
                          for line in console.render_lines(renderable, options, pad=False)]
                if sig is not None:
                    memo[key] = strips
            lines.extend(strips)
            tags.extend([tag] * len(strips))
        self._lines, self._tags, self._width = lines, tags, width
        self._blank = Strip.blank(width, style)
        size = Size(width, len(lines))
        window = self.scrollable_content_region.height
        old = self.virtual_size
        if old.width == width and old.height <= window and size.height <= window:
            # Fits before and after: no scrollbar appears or goes, so skip the layout pass the
            # reactive would ask for (it repaints the whole screen: ~75 lines on every key).
            self.set_reactive(TextView.virtual_size, size)
        else:
            self.virtual_size = size

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._memo.clear()  # the theme changed: the strips of every block are drawn anew
            self._render_blocks()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._render_blocks()
            self.refresh()

    def on_mount(self) -> None:
        self._render_blocks()

    def render_lines(self, crop: Region) -> list[Strip]:
        # With nothing drawn around the text but side padding, each line's final strip (padded
        # to the widget's width in its background, as Textual's styles cache would make it) is
        # kept with the line's own strip: a line shown again is the same object, whose pieces
        # and escape codes the compositor has cached (the styles cache made a new strip, and
        # the compositor divided and encoded it anew, for every line of every repaint).
        look = self._look()
        if look is None:
            return super().render_lines(crop)
        full, pad_left, pad_right, content_width, inner = look
        filters = self.get_line_filters()
        background = self.background_colors[1]
        finals = self._finals
        lines: list[Strip] = []
        for y in crop.line_range:
            strip = self.render_line(y)
            hit = finals.get(id(strip))
            if hit is not None and hit[0] is strip and hit[1] == look:
                line = hit[2]
            else:
                line = strip.adjust_cell_length(content_width, inner)
                if pad_left or pad_right:
                    line = Strip([RichSegment(" " * pad_left, inner), *line, RichSegment(" " * pad_right, inner)], full)
                # Keyed on the strip's id, holding the strip: the id cannot be reused meanwhile.
                finals[id(strip)] = (strip, look, line)
            for line_filter in filters:
                line = line.apply_filter(line_filter, background)
            lines.append(line)
        if crop.column_span != (0, full):
            x1, x2 = crop.column_span
            lines = [line.crop(x1, x2) for line in lines]
        return lines

    def _look(self) -> tuple[int, int, int, int, Style] | None:
        """(width, left and right padding, content width, padding style) when the styles cache
        would only pad the lines; None when it draws more (border, vertical padding, tint...)."""
        styles = self.styles
        top, right, bottom, left = styles.padding
        region = self.region
        content = self.content_region
        if (
            top or bottom
            or content.width != region.width - left - right
            or content.height != region.height
            or any(edge for edge, _ in styles.outline)
            or styles.tint.a
            or styles.text_opacity != 1.0
            or self.opacity != 1.0
            or styles.has_rule("hatch")
            or self.BLANK
            or (self.auto_links and self.hover_style._link_id)  # a link under the mouse: styled
        ):
            return None
        base_background, background = self.background_colors
        inner = VisualStyle(background=base_background + background).rich_style
        return region.width, left, right, content.width, inner

    def render_line(self, y: int) -> Strip:
        # Called for every dirty line of every frame: ``rich_style`` and
        # ``scrollable_content_region`` are computed properties (~0.1 ms each), so the blank
        # strip and the width come from the last ``_render_blocks``, which every width or
        # style change goes through.
        index = round(self.scroll_offset.y) + y
        if index < len(self._lines):
            return self._lines[index]
        blank = self._blank
        if blank is None:
            blank = self._blank = Strip.blank(self.scrollable_content_region.width, self.rich_style)
        return blank

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < len(self._tags):
            self.post_message(self.Clicked(self, self._tags[index]))
