"""Jump to a segment by its id (as the list, the flags, `check` and the exports show it), or by
its position (``#12``, or a plain number that is no id)."""

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
            yield Label(Text(f"Go to segment: its id, or #1-#{len(self.doc.segments)}", style="bold"))
            yield Input(placeholder="id or #position", id="jump-input")
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
        return resolve_segment(self.doc, value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def resolve_segment(doc: ReviewDocument, value: str) -> int | None:
    """The index of the segment ``value`` names: an id first (ids are what every view shows),
    then a position (``#12``, or a number that is no id); None when it names none."""
    try:
        return doc.index_of(value)
    except KeyError:
        pass
    number = value[1:] if value.startswith("#") else value
    if number.isdigit() and 1 <= int(number) <= len(doc.segments):
        return int(number) - 1
    return None
