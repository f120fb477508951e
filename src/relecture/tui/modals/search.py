"""Search source, target and post-edit: plain text or a regular expression."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from relecture.textsafe import visible_line
from relecture.tui.modals import SafeInput, after_typed_keys, steady_cursors
from relecture.tui.session import SearchSpec


class SearchModal(ModalScreen[SearchSpec | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="search.cancel"),
        Binding("enter", "submit", "Search", priority=True, id="search.submit"),
    ]

    def __init__(self, previous: SearchSpec | None = None) -> None:
        super().__init__()
        self.previous = previous

    def compose(self) -> ComposeResult:
        prev = self.previous
        with Vertical(id="search-dialog", classes="dialog"):
            yield Label(Text("Search source and target", style="bold"))
            yield SafeInput(prev.pattern if prev else "", placeholder="text or regular expression", id="search-input")
            with Horizontal(id="search-options"):
                yield Checkbox("Regular expression", prev.regex if prev else False, id="search-regex")
                yield Checkbox("Match case", prev.case_sensitive if prev else False, id="search-case")
            yield Static("", id="search-error", markup=False)
            yield Static(Text("enter search · escape cancel · empty = clear the search", style="dim"), markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        field = self.query_one("#search-input", Input)
        field.focus()
        field.select_all()  # typing replaces the previous pattern; arrows keep it

    def action_submit(self) -> None:
        after_typed_keys(self, self._submit_now)

    def _submit_now(self) -> None:
        if not self.is_active:
            return  # already closed (enter pressed twice)
        pattern = self.query_one("#search-input", Input).value
        if not pattern:
            self.dismiss(SearchSpec(""))
            return
        spec = SearchSpec(
            pattern,
            regex=self.query_one("#search-regex", Checkbox).value,
            case_sensitive=self.query_one("#search-case", Checkbox).value,
        )
        try:
            spec.compile()
        except (re.error, ValueError, OverflowError, RecursionError) as exc:  # PATTERN_ERRORS and re's
            self.query_one("#search-error", Static).update(
                Text(visible_line(f"Not a valid regular expression: {exc}"), style="bold red")
            )
            return
        self.dismiss(spec)

    def action_cancel(self) -> None:
        self.dismiss(None)
