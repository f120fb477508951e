"""Post-editing the target: the original translation stays, the difference is shown live.

``enter`` (or ctrl+s) saves, ``escape`` cancels (asking first when text was typed), ctrl+r restores the original translation
(removes the post-edit), ctrl+n inserts a line break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from relecture.tui.modals import SafeTextArea, TextDialog, after_typed_keys, steady_cursors
from relecture.tui.render import diff_text, safe_text


@dataclass(frozen=True)
class PostEditResult:
    """``value`` None removes the post-edit (back to the original translation)."""

    value: str | None


class PostEditModal(TextDialog[PostEditResult | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", priority=True, id="post_edit.save"),
        Binding("ctrl+s", "save", "Save", id="post_edit.save_alt", show=False),
        Binding("escape", "cancel", "Cancel", id="post_edit.cancel"),
        Binding("ctrl+r", "revert", "Restore original", id="post_edit.revert"),
        Binding("ctrl+n", "newline", "Line break", id="post_edit.newline"),
    ]

    def __init__(self, original: str, current: str | None, number: int) -> None:
        super().__init__()
        self.original = original
        self.current = current
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="post-edit-dialog", classes="dialog"):
            yield Label(Text(f"Post-edit segment {self.number}", style="bold"))
            yield Label(Text("Original translation (kept)", style="dim"), classes="field-label")
            yield Static(safe_text(self.original), id="post-edit-original", markup=False)
            yield Label(Text("Your version", style="dim"), classes="field-label")
            area = SafeTextArea(
                self.current if self.current is not None else self.original,
                soft_wrap=True,
                id="post-edit-area",
                tab_behavior="focus",
            )
            yield area
            yield Label(Text("Difference", style="dim"), classes="field-label")
            yield Static("", id="post-edit-diff", markup=False)
            yield Static(
                Text("enter save · escape cancel · ctrl+r restore original · ctrl+n line break", style="dim"),
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
        edited = self.query_one(TextArea).text
        diff = self.query_one("#post-edit-diff", Static)
        if edited == self.original:
            diff.update(Text("(no change)", style="dim"))
        else:
            diff.update(diff_text(self.original, edited))

    def action_save(self) -> None:
        after_typed_keys(self, self._save_now)

    def _save_now(self) -> None:
        if not self.is_active:
            return  # already closed (enter pressed twice)
        edited = self.query_one(TextArea).text
        self.submit(PostEditResult(None if edited == self.original else edited))

    def typed_values(self) -> tuple[str, ...]:
        return (self.query_one(TextArea).text,)

    def action_revert(self) -> None:
        self.query_one(TextArea).load_text(self.original)
        self._update_diff()

    def action_newline(self) -> None:
        self.query_one(TextArea).insert("\n")
