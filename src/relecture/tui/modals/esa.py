"""ESA (Error Span Annotation): the reviewer's 0-100 score for the whole segment."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from relecture.tui.modals import TextDialog, steady_cursors

# What dismiss returns: ("set", score) or ("clear", None); None when cancelled.
EsaResult = tuple[str, int | None]


class EsaModal(TextDialog[EsaResult | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="esa.cancel"),
    ]

    def __init__(self, current: int | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="esa-dialog", classes="dialog"):
            yield Label(Text("ESA score: 0 (no meaning kept) to 100 (perfect)", style="bold"))
            yield Input(
                value="" if self.current is None else str(self.current),
                placeholder="0-100, empty to clear",
                id="esa-input",
            )
            yield Static("", id="esa-error", markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.submit(("clear", None))
            return
        if not value.isdigit() or not 0 <= int(value) <= 100:
            self.query_one("#esa-error", Static).update(Text("A whole number from 0 to 100", style="bold red"))
            return
        self.submit(("set", int(value)))

    def typed_values(self) -> tuple[str, ...]:
        return (self.query_one(Input).value,)
