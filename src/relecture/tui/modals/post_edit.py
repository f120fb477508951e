"""Post-editing the target: the original translation stays, the difference is shown live.

``enter`` (or ctrl+s) saves, ``escape`` cancels (asking first when text was typed), ctrl+r
restores the original translation (removes the post-edit), ctrl+n inserts a line break, ctrl+b a
non-breaking space (U+00A0) and ctrl+t a narrow non-breaking space (U+202F), which most terminals
cannot type. Both are drawn as signs in the text and in the difference, since they look like any
other space.

Inline codes (tags of the CAT file) are edited as tokens such as ``⟪1⟫``, ``⟪/1⟫``: they can be
moved or copied as text and become the same code again on saving. Saving a version that lost a
code of the translation asks once ("press enter again"), never silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from relecture.codetokens import code_tokens, from_tokens, to_tokens  # one token scheme with the exports
from relecture.model import Code, code_index
from relecture.tui.modals import SafeTextArea, TextDialog, after_typed_keys, steady_cursors
from relecture.tui.render import (
    NBSP,
    NNBSP,
    SPACE_LEGEND,
    diff_text,
    safe_text,
    show_space_signs,
    stylize_space_signs,
    with_codes,
)


@dataclass(frozen=True)
class PostEditResult:
    """``value`` None removes the post-edit (back to the original translation)."""

    value: str | None


class PostEditArea(SafeTextArea):
    """The post-edit's text with its non-breaking spaces drawn as signs (one cell each: the
    cursor columns hold; the text edited and saved keeps the real characters)."""

    def get_line(self, line_index: int) -> Text:
        raw = self.document.get_line(line_index)
        line = super().get_line(line_index)
        if NBSP in raw or NNBSP in raw:
            line = Text(show_space_signs(line.plain), end="", no_wrap=True)
            stylize_space_signs(line, raw)
        return line


class PostEditModal(TextDialog[PostEditResult | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", priority=True, id="post_edit.save"),
        Binding("ctrl+s", "save", "Save", id="post_edit.save_alt", show=False),
        Binding("escape", "cancel", "Cancel", id="post_edit.cancel"),
        Binding("ctrl+r", "revert", "Restore original", id="post_edit.revert"),
        Binding("ctrl+n", "newline", "Line break", id="post_edit.newline"),
        Binding("ctrl+b", "insert_space('nbsp')", "Non-breaking space (U+00A0)", id="post_edit.nbsp"),
        Binding("ctrl+t", "insert_space('nnbsp')", "Narrow non-breaking space (U+202F)", id="post_edit.nnbsp"),
    ]

    def __init__(self, original: str, current: str | None, number: str, codes: Sequence[Code] = ()) -> None:
        super().__init__()
        self.codes = list(codes)
        self._tokens = code_tokens(self.codes)
        self.original = original
        self.current = current
        self.number = number
        self._warned: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="post-edit-dialog", classes="dialog"):
            yield Label(Text(f"Post-edit segment {self.number}", style="bold"))
            yield Label(Text("Original translation (kept)", style="dim"), classes="field-label")
            yield Static(
                with_codes(safe_text(self.original, spaces=True), self.original, self.codes),
                id="post-edit-original", markup=False,
            )
            yield Label(Text("Your version", style="dim"), classes="field-label")
            area = PostEditArea(
                to_tokens(self.current if self.current is not None else self.original, self._tokens),
                soft_wrap=True,
                id="post-edit-area",
                tab_behavior="focus",
            )
            yield area
            yield Label(Text("Difference", style="dim"), classes="field-label")
            yield Static("", id="post-edit-diff", markup=False)
            yield Static(
                Text("enter save · escape cancel · ctrl+r restore original · ctrl+n line break · "
                     f"ctrl+b / ctrl+t non-breaking / narrow space ({SPACE_LEGEND})", style="dim"),
                markup=False,
            )

    def on_mount(self) -> None:
        steady_cursors(self)
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        self._update_diff()

    @on(TextArea.Changed)
    def _update_diff(self) -> None:
        edited = from_tokens(self.query_one(TextArea).text, self._tokens)
        diff = self.query_one("#post-edit-diff", Static)
        if edited == self.original:
            diff.update(Text("(no change)", style="dim"))
        else:
            diff.update(diff_text(self.original, edited, dark=self.app.current_theme.dark, codes=self.codes))

    def action_save(self) -> None:
        after_typed_keys(self, self._save_now)

    def _save_now(self) -> None:
        if not self.is_active:
            return  # already closed (enter pressed twice)
        edited = from_tokens(self.query_one(TextArea).text, self._tokens)
        had = {i for i in map(code_index, self.original) if i is not None and i < len(self.codes)}
        lost = tuple(self.codes[i].label for i in sorted(had - set(map(code_index, edited))))
        if lost and lost != self._warned:
            self._warned = lost
            self.notify(
                f"This version loses the code{'s' if len(lost) > 1 else ''} {', '.join(lost)} of the translation; "
                "press enter again to save it anyway",
                title="Code missing", severity="warning", timeout=6,
            )
            return
        self.submit(PostEditResult(None if edited == self.original else edited))

    def typed_values(self) -> tuple[str, ...]:
        return (self.query_one(TextArea).text,)

    def action_revert(self) -> None:
        self.query_one(TextArea).load_text(to_tokens(self.original, self._tokens))
        self._update_diff()

    def action_newline(self) -> None:
        self.query_one(TextArea).insert("\n")

    def action_insert_space(self, which: str) -> None:
        self.query_one(TextArea).insert(NBSP if which == "nbsp" else NNBSP)
