"""The reading pane: the current segment in document context.

Source above target (when bilingual and shown), flagged spans highlighted by severity, annotated
spans underlined, the post-edit as a difference from the original, and the previous and next
segments dimmed around it (MQM practice is to annotate in context).

A span for an annotation is selected in a read-only TextArea ("selection mode", ``v`` for the
target, ``V`` for the source, or a click on the text): shift+arrows or a mouse drag; the hint
is the selector's title, where it covers nothing. The previous segment shows at most
``CONTEXT_LINES`` lines (its end), so a long one never pushes the current one out of view.
The text itself is drawn by a line-API view: moving between segments costs a repaint, no layout.
"""

from __future__ import annotations

from typing import Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import TextArea
from textual.widgets.text_area import Document

from relecture.model import CODE_RE, ReviewDocument, Segment
from relecture.textsafe import visible, visible_line
from relecture.tui.render import diff_text, safe_text, segment_text, with_codes
from relecture.tui.text_view import Block, TextView

CODE_SIGN = "◆"  # an inline code in the span selector (the reading view above shows its token)
CONTEXT_LINES = 2


class SpanSelector(TextArea):
    """Read-only text in which the reviewer selects the span to annotate.

    Focusable only in selection mode, so the review keys reach the screen the rest of the time.
    """

    can_focus = False

    def __init__(self) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False, id="span-selector")
        self.side = "target"
        self.length = 0

    def load_segment(self, text: str, side: str) -> None:
        self.side = side
        self.length = len(text)
        # An inline code stays one character (offsets are the text's): one visible sign for it.
        self.load_text(CODE_RE.sub(CODE_SIGN, visible(text)))
        self.border_title = f"select the {side} span: shift+arrows or mouse · a annotate · esc leave"

    @property
    def span(self) -> tuple[int, int] | None:
        """The selected code-point span, or None when nothing is selected."""
        sel = self.selection
        if sel.start == sel.end:
            return None
        document = cast(Document, self.document)  # a TextArea's own, which indexes locations
        a = document.get_index_from_location(sel.start)
        b = document.get_index_from_location(sel.end)
        start, end = min(a, b), max(a, b)
        return max(0, start), min(self.length, end)


class ReadingPane(Vertical):
    """The reading view (line API) and, in selection mode, the span selector under it."""

    def compose(self) -> ComposeResult:
        yield TextView(id="reading-view")
        yield SpanSelector()

    def on_mount(self) -> None:
        self.query_one(SpanSelector).display = False

    @property
    def view(self) -> TextView:
        return self.query_one(TextView)

    @property
    def selector(self) -> SpanSelector:
        return self.query_one(SpanSelector)

    @property
    def selecting(self) -> bool:
        return bool(self.selector.display)

    def start_selection(self, seg: Segment, side: str) -> None:
        selector = self.selector
        selector.load_segment(seg.text(side), side)
        selector.display = True
        selector.can_focus = True
        selector.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        selector.focus()

    def stop_selection(self) -> None:
        selector = self.selector
        selector.display = False
        selector.can_focus = False
        selector.blur()

    def show(
        self,
        doc: ReviewDocument,
        index: int | None,
        *,
        show_source: bool,
        search: Any,  # SearchSpec.compile()
        current: tuple[str, int, int] | None,
    ) -> None:
        """Draw segment ``index`` (None: the view is empty)."""
        if self.selecting:
            self.stop_selection()
        if index is None:
            self.view.set_blocks([(None, Text("No segment matches. Press escape to clear the search and filter."))])
            return
        segments = doc.segments
        seg = segments[index]
        blank = Text("")
        blocks: list[Block] = []
        width = max(20, self.view.scrollable_content_region.width or 60)
        if index > 0:
            blocks += [("prev", self._context_text(segments[index - 1], CONTEXT_LINES * width)), (None, blank)]
        if seg.source is not None and show_source:
            blocks.append(("source", self._label_text("Source", doc.source_lang, index, seg)))
            blocks.append(("source", segment_text(
                seg.source, "source", seg.flags, seg.dismissed, seg.annotations, search,
                current[1:] if current and current[0] == "source" else None, codes=seg.codes,
            )))
            blocks.append((None, blank))
        blocks.append(("target", self._label_text("Target", doc.target_lang, index, seg)))
        blocks.append(("target", segment_text(
            seg.target, "target", seg.flags, seg.dismissed, seg.annotations, search,
            current[1:] if current and current[0] == "target" else None, codes=seg.codes,
        )))
        blocks.append((None, blank))
        if seg.post_edit is not None:
            blocks.append(("post-edit", Text("Post-edit (difference from the translation)", style="bold")))
            blocks.append(("post-edit", diff_text(
                seg.target, seg.post_edit, seg.open_post_edit_flags, self.app.current_theme.dark, seg.codes
            )))
            blocks.append((None, blank))
        if index + 1 < len(segments):
            blocks.append(("next", self._context_text(segments[index + 1], CONTEXT_LINES * width, tail=False)))
        self.view.set_blocks(blocks)

    @staticmethod
    def _label_text(name: str, lang: str | None, index: int, seg: Segment) -> Text:
        label = Text(f"{name}", style="bold")
        if lang:
            label.append(f" ({lang})", style="bold")
        if name == "Target":
            label.append(f"  segment {visible_line(seg.id)} · {seg.status}", style="dim")
            if seg.kind != "sentence":
                label.append(f" · {seg.kind}", style="dim")
            if seg.esa is not None:
                label.append(f" · ESA {seg.esa}", style="dim")
        return label

    @staticmethod
    def _context_text(seg: Segment, room: int, tail: bool = True) -> Text:
        """A neighbour, dimmed, cut to about ``room`` characters (the end of the previous one
        and the start of the next are what connect to the current segment)."""
        label = visible_line(seg.id)
        text = Text(f"{label} ", style="dim bold", overflow="fold", end="")
        value = seg.final_target
        room = max(10, room - len(label) - 3)
        cut = len(value) > room
        if cut and tail:
            text.append("…", style="dim")
            value = value[-room:]
        elif cut:
            value = value[:room]
        shown = value.replace("\n", " ")
        text.append_text(with_codes(safe_text(shown, "dim"), shown, seg.codes))
        if cut and not tail:
            text.append("…", style="dim")
        return text
