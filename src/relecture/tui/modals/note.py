"""A note on the segment or on the whole document.

``enter`` (or ctrl+s) saves, ``escape`` cancels (asking first when text was typed), ctrl+n inserts a line break; an empty note
removes it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from relecture.tui.modals import SafeTextArea, TextDialog, after_typed_keys, steady_cursors


class NoteModal(TextDialog[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", priority=True, id="note.save"),
        Binding("ctrl+s", "save", "Save", id="note.save_alt", show=False),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
        Binding("ctrl+n", "newline", "Line break", id="note.newline"),
    ]

    def __init__(self, title: str, value: str) -> None:
        super().__init__()
        self.heading = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label(Text(self.heading, style="bold"))
            area = SafeTextArea(self.value, soft_wrap=True, id="note-area", tab_behavior="focus")
            yield area
            yield Static(
                Text("enter save · escape cancel · ctrl+n line break · empty = no note", style="dim"),
                markup=False,
            )

    def on_mount(self) -> None:
        steady_cursors(self)
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        after_typed_keys(self, self._save_now)

    def _save_now(self) -> None:
        if not self.is_active:
            return  # already closed (enter pressed twice)
        self.submit(self.query_one(TextArea).text.strip("\n"))

    def typed_values(self) -> tuple[str, ...]:
        return (self.query_one(TextArea).text,)

    def action_newline(self) -> None:
        self.query_one(TextArea).insert("\n")
