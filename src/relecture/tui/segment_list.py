"""The segment list: one row per segment, drawn with Textual's line API.

Only the rows on screen are ever rendered (``render_line``), from lazily computed row summaries,
with a small LRU cache of rendered strips, so a 100,000-segment document paints as fast as a
ten-segment one. DataTable, ListView and OptionList measure every row and are unusable at that
size (see shared/reference/textual.md).

A row starts with the segment's id (the document's own when it has one: a TSV's ``p3``, an
XLIFF unit's id), the one name `check`, the exports and every message use.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style as VisualStyle

from relecture.model import SEVERITIES
from relecture.textsafe import visible_line
from relecture.tui.session import STATUS_MARK, Session

_NO_STYLE = Style()


def _no_style(name: str) -> Style:
    return _NO_STYLE


def _thumb(bar: ScrollBar, position: float) -> tuple[int, int] | None:
    """The thumb's first and last eighth of a cell as ``ScrollBarRender.render_bar`` draws it
    (None: no thumb)."""
    size = bar.size.height
    virtual = bar.window_virtual_size
    window = bar.window_size if bar.window_size < virtual else 0
    if not (window and size and virtual and size != virtual):
        return None
    thumb = max(1, window / (virtual / size))
    start = int((size - thumb) * position / (virtual - window) * 8)
    return start, start + ceil(thumb * 8)


MAX_ID_WIDTH = 9  # longer ids end in "…" in the list (the reading pane shows them whole)


class SegmentList(ScrollView, can_focus=False):
    """A virtual list over ``session.view`` with a cursor (a position in that view)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "segment-list--cursor",
        "segment-list--number",
        "segment-list--heading",
        "segment-list--todo",
        "segment-list--approved",
        "segment-list--needs-work",
        "segment-list--rejected",
        "segment-list--neutral",
        "segment-list--minor",
        "segment-list--major",
        "segment-list--critical",
        "segment-list--edited",
    }

    class CursorMoved(Message):
        """The cursor now rests on segment ``index`` (an index into the document)."""

        def __init__(self, index: int | None) -> None:
            self.index = index
            super().__init__()

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.cursor = 0
        self._cache: LRUCache[tuple[int, int, int, bool], Strip] = LRUCache(1024)
        # Each cached row's line as Textual's styles cache would make it (padded, filtered),
        # keyed on the row's own strip: see render_lines.
        self._final: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._number_width = 1
        self._measured = 0  # ids measured so far (a progressive open adds more)
        self._measure_ids()
        self._styles: dict[str, Style] = {}
        # Called at once when the cursor moves (a message would redraw the panes a frame later).
        self.on_move: Callable[[int | None], None] | None = None
        self._base: Style | None = None

    # --- geometry -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """The view changed (filter, search): resize and redraw."""
        self._cache.clear()
        self._final.clear()
        self.virtual_size = Size(self.size.width, len(self.session.view))
        self.cursor = min(self.cursor, max(0, len(self.session.view) - 1))
        self.refresh()

    def _measure_ids(self) -> None:
        segments = self.session.segments
        longest = max((len(segments[i].id) for i in range(self._measured, len(segments))), default=0)
        self._measured = len(segments)
        self._number_width = max(self._number_width, min(longest, MAX_ID_WIDTH))

    def document_grew(self) -> None:
        """More segments were loaded: resize without moving the cursor or the scroll position."""
        self._measure_ids()
        self._cache.clear()
        self._final.clear()
        self.virtual_size = Size(self.size.width, len(self.session.view))
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._base = None
        self._blank = None
        self._cache.clear()
        self._final.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._final.clear()
        self.virtual_size = Size(event.size.width, len(self.session.view))

    @property
    def current_index(self) -> int | None:
        view = self.session.view
        if not len(view):
            return None
        return view[self.cursor]

    def move_to(self, position: int, *, center: bool = False) -> None:
        """Put the cursor on view position ``position`` (clamped) and keep it visible."""
        count = len(self.session.view)
        if not count:
            self._moved(None)
            return
        position = max(0, min(position, count - 1))
        old = self.cursor
        self.cursor = position
        self.refresh_row(old)
        self.refresh_row(position)
        self._scroll_to_cursor(center)
        self._moved(self.current_index)

    def _moved(self, index: int | None) -> None:
        if self.on_move is not None:
            self.on_move(index)
        else:
            self.post_message(self.CursorMoved(index))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # At 100,000 rows the thumb moves one cell every few thousand rows, but a new position
        # repaints the whole scrollbar (a line per row: as much as the list itself). Set it
        # without a repaint when the thumb is drawn in the same place.
        bar = self._vertical_scrollbar
        if bar is not None and self.show_vertical_scrollbar:
            position = bar.validate_position(new_value)
            if _thumb(bar, bar.position) == _thumb(bar, position):
                bar.set_reactive(ScrollBar.position, position)
            else:
                bar.position = position  # a repaint of the bar (the thumb moved)
        if self._anchored and self._anchor_released:
            self._check_anchor()
        if round(old_value) != round(new_value):
            # The rows only: ScrollView repaints its whole region, the scrollbar's column too
            # (another 37 lines a key), though the bar repaints itself when its thumb moves.
            width = self.scrollable_content_region.width or self.size.width
            self.refresh(Region(0, 0, width, self.size.height))

    def _scroll_to_cursor(self, center: bool) -> None:
        height = self.scrollable_content_region.height or self.size.height or 1
        top = round(self.scroll_offset.y)
        if center:
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    @property
    def page_height(self) -> int:
        return max(1, (self.scrollable_content_region.height or self.size.height) - 1)

    def refresh_row(self, position: int) -> None:
        y = position - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            # The row, not the scrollbar's column beside it (the bar would be redrawn whole).
            self.refresh(Region(0, y, self.scrollable_content_region.width or self.size.width, 1))

    def refresh_index(self, index: int) -> None:
        position = self.session.position_of(index)
        if position is not None:
            self.refresh_row(position)

    # --- mouse ------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        position = round(self.scroll_offset.y) + event.y
        if 0 <= position < len(self.session.view):
            self.move_to(position)

    # --- drawing ----------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The width and the scroll offset once a frame, not once a line: both are computed
        # properties (the region is looked up in the compositor), and a scroll redraws every line.
        width = self.scrollable_content_region.width or self.size.width
        self._frame = (round(self.scroll_offset.y), width)
        try:
            if not self._bare():
                return super().render_lines(crop)
            # A scroll of one row repaints every row, and Textual's styles cache would style
            # each again (a new strip per line, and the line filters applied to it anew). With
            # no border, padding, tint or opacity its styled line is the row's own strip: the
            # cached strips go out as they are, and their filtered copies stay cached on them.
            filters = self.get_line_filters()
            base_background, background = self.background_colors
            # The styles cache pads each line to the widget's width (the scrollbar's column,
            # which the scrollbar then covers) in the panes' background.
            full = self.region.width
            pad = VisualStyle(background=base_background + background).rich_style
            final = self._final
            look = (full, pad, background, *filters)
            lines = []
            for y in crop.line_range:
                key, strip = self._row(y)
                styled = final.get((key, look))
                if styled is None:
                    styled = strip.adjust_cell_length(full, pad) if full != width else strip
                    for line_filter in filters:
                        styled = styled.apply_filter(line_filter, background)
                    final[(key, look)] = styled
                lines.append(styled)
            if crop.column_span != (0, full):
                x1, x2 = crop.column_span
                lines = [strip.crop(x1, x2) for strip in lines]
            return lines
        finally:
            self._frame = None

    def _bare(self) -> bool:
        """Nothing drawn around or over the rows (what Textual's styles cache would add)."""
        styles = self.styles
        return (
            self.content_region.width == self.region.width
            and not any(styles.gutter)
            and all(not edge for edge, _ in styles.outline)
            and not styles.tint.a
            and styles.text_opacity == 1.0
            and self.opacity == 1.0
            and not styles.has_rule("hatch")
            and not self.BLANK
        )

    _frame: tuple[int, int] | None = None
    _blank: Strip | None = None

    def render_line(self, y: int) -> Strip:
        return self._row(y)[1]

    def _row(self, y: int) -> tuple[tuple[int, int, int, bool], Strip]:
        """Line ``y`` of the view and the key it is cached under (index -1: below the last row)."""
        frame = self._frame
        if frame is None:
            frame = (round(self.scroll_offset.y), self.scrollable_content_region.width or self.size.width)
        position = frame[0] + y
        width = frame[1]
        view = self.session.view
        if position >= len(view):
            if self._base is None:
                self._base = self.rich_style
            blank = self._blank
            if blank is None or blank.cell_length != width:
                blank = self._blank = Strip.blank(width, self._base)
            return (-1, 0, width, False), blank
        index = view[position]
        is_cursor = position == self.cursor
        key = (index, self.session.version(index), width, is_cursor)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(index, width, is_cursor)
            self._cache[key] = strip
        return key, strip

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"segment-list--{name}", partial=True)
        return style

    def _render_row(self, index: int, width: int, is_cursor: bool) -> Strip:
        # Segments built directly (no Text.render): this runs for every row scrolled into view.
        info = self.session.row(index)
        if self._base is None:
            self._base = self.rich_style
        base = self._base + self._style("cursor") if is_cursor else self._base
        # The cursor row in the cursor's own colours throughout: a status or severity colour on
        # the cursor's background is unreadable in one theme or the other.
        style = self._style if not is_cursor else _no_style
        label = visible_line(self.session.segments[index].id)
        if len(label) > self._number_width:
            label = label[: self._number_width - 1] + "…"
        segs = [RichSegment(f"{label:>{self._number_width}} ", base + style("number")),
                RichSegment(STATUS_MARK[info.status], base + style(info.status))]
        if info.flag_rank >= 0:
            segs.append(RichSegment("●", base + style(SEVERITIES[info.flag_rank])))
        else:
            segs.append(RichSegment(" ", base))
        if info.annotations:
            count = str(info.annotations) if info.annotations < 10 else "+"
            segs.append(RichSegment(count, base + style(SEVERITIES[max(info.annotation_rank, 0)])))
        else:
            segs.append(RichSegment(" ", base))
        segs.append(RichSegment("✎ " if info.post_edited else "  ", base + style("edited")))
        used = self._number_width + 6
        room = width - used
        preview = info.preview
        if room > 0 and preview:
            if cell_len(preview) > room:
                preview = set_cell_size(preview, room - 1) + "…"
            segs.append(RichSegment(preview, base + style("heading") if info.kind == "heading" else base))
        return Strip(segs).crop_extend(0, width, base)
