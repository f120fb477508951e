"""Jump to a segment by its number (1-based, as the list shows it) or its id."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from relecture.model import ReviewDocument
from relecture.tui.modals import steady_cursors


class JumpModal(ModalScreen[int | None]):
    """Returns the segment's index in the document."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="jump.cancel"),
    ]

    def __init__(self, doc: ReviewDocument) -> None:
        super().__init__()
        self.doc = doc

    def compose(self) -> ComposeResult:
        with Vertical(id="jump-dialog", classes="dialog"):
            yield Label(Text(f"Go to segment (1-{len(self.doc.segments)} or an id)", style="bold"))
            yield Input(placeholder="number or id", id="jump-input")
            yield Static("", id="jump-error", markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        index = self.resolve(value)
        if index is None:
            self.query_one("#jump-error", Static).update(
                Text(f"No segment {value!r}", style="bold red")
            )
            return
        self.dismiss(index)

    def resolve(self, value: str) -> int | None:
        if value.isdigit() and 1 <= int(value) <= len(self.doc.segments):
            return int(value) - 1
        try:
            return self.doc.index_of(value)
        except KeyError:
            return None

    def action_cancel(self) -> None:
        self.dismiss(None)
