"""Filter the segment list by status, severity, check family, annotated or not.

space toggles an item, tab moves between the lists, ``enter`` applies, ``escape`` cancels,
ctrl+d clears every choice.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, RadioButton, RadioSet, SelectionList, Static

from relecture.model import SEVERITIES, STATUSES
from relecture.textsafe import visible_line
from relecture.tui.modals import after_typed_keys
from relecture.tui.session import FilterSpec


class FilterModal(ModalScreen[FilterSpec | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "apply", "Apply", priority=True, id="filter.apply"),
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+d", "clear", "Clear all", id="filter.clear"),
    ]

    def __init__(self, current: FilterSpec, families: list[str]) -> None:
        super().__init__()
        self.current = current
        self.families = families

    def compose(self) -> ComposeResult:
        cur = self.current
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Label(Text("Filter segments (an empty list means any)", style="bold"))
            with Horizontal(id="filter-columns"):
                with Vertical(classes="filter-column"):
                    yield Label("Status", classes="field-label")
                    yield SelectionList[str](
                        *[(Text(s), s, s in cur.statuses) for s in STATUSES], id="filter-status"
                    )
                with Vertical(classes="filter-column"):
                    yield Label("Severity", classes="field-label")
                    yield SelectionList[str](
                        *[(Text(s), s, s in cur.severities) for s in reversed(SEVERITIES)],
                        id="filter-severity",
                    )
                with Vertical(classes="filter-column"):
                    yield Label("Check family", classes="field-label")
                    yield SelectionList[str](
                        *[(Text(visible_line(f)), f, f in cur.families) for f in self.families], id="filter-family"
                    )
                with Vertical(classes="filter-column"):
                    yield Label("Annotated", classes="field-label")
                    with RadioSet(id="filter-annotated"):
                        yield RadioButton("any", value=cur.annotated is None, id="annotated-any")
                        yield RadioButton("annotated", value=cur.annotated is True, id="annotated-yes")
                        yield RadioButton("not annotated", value=cur.annotated is False, id="annotated-no")
            yield Static(
                Text("space toggle · tab next list · enter apply · ctrl+d clear · escape cancel", style="dim"),
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#filter-status", SelectionList).focus()

    def action_apply(self) -> None:
        after_typed_keys(self, self._apply_now)

    def _apply_now(self) -> None:
        if not self.is_active:
            return  # already closed (enter pressed twice)
        pressed = self.query_one(RadioSet).pressed_button
        annotated = {"annotated-yes": True, "annotated-no": False}.get((pressed.id or "") if pressed else "")
        self.dismiss(
            FilterSpec(
                statuses=frozenset(self.query_one("#filter-status", SelectionList).selected),
                severities=frozenset(self.query_one("#filter-severity", SelectionList).selected),
                families=frozenset(self.query_one("#filter-family", SelectionList).selected),
                annotated=annotated,
            )
        )

    def action_clear(self) -> None:
        for name in ("#filter-status", "#filter-severity", "#filter-family"):
            self.query_one(name, SelectionList).deselect_all()
        self.query_one("#annotated-any", RadioButton).value = True

    def action_cancel(self) -> None:
        self.dismiss(None)
