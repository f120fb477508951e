"""Every key binding, with its id and description (``?``)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HelpGroup = tuple[str, list[Binding]]


def key_label(key: str) -> str:
    names = {
        "question_mark": "?", "slash": "/", "colon": ":", "space": "space",
        "left_square_bracket": "[", "right_square_bracket": "]", "enter": "⏎",
    }
    return " ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


class HelpModal(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, groups: list[HelpGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Text("Keys (escape closes)", style="bold"), markup=False)
            with VerticalScroll(id="help-scroll"):
                for title, bindings in self.groups:
                    table = Table(title=Text(title, style="bold"), title_justify="left", expand=True,
                                  show_edge=False, box=None, padding=(0, 1))
                    table.add_column("key", style="bold", no_wrap=True, min_width=12)
                    table.add_column("action", ratio=1)
                    table.add_column("id", style="dim", no_wrap=True)
                    merged: dict[str, tuple[list[str], str]] = {}
                    for b in bindings:
                        ident = b.id or b.action
                        keys, _ = merged.setdefault(ident, ([], b.description or b.action))
                        keys.append(key_label(b.key))
                    for ident, (keys, description) in merged.items():
                        table.add_row(Text(" ".join(keys)), Text(description), Text(ident))
                    yield Static(table, classes="help-table")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()  # arrows and page keys scroll the list

    def action_close(self) -> None:
        self.dismiss(None)
