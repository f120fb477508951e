"""A yes/no question: ``y``/``enter`` yes, ``n``/``escape`` no; for a question whose yes throws
something away, ``enter`` (the key that saved the dialog a moment ago) means no."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmModal(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", priority=True, id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    HINT = "y / enter: yes    n / escape: no"

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Text(self.question, style="bold"), markup=False)
            if self.detail:
                yield Static(Text(self.detail), markup=False)
            yield Static(Text(self.HINT, style="dim"), markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class DiscardModal(ConfirmModal):
    """"Discard what you typed?": only ``y`` discards."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes, discard", id="discard.yes"),
        Binding("n,escape,enter", "answer(False)", "No, back to the text", priority=True, id="discard.no"),
    ]
    HINT = "y: yes, discard    n / escape / enter: no, back to the text"
