"""Export the review: choose a format and a file name (beside the review file by default, or in
the folder the last export went to)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from relecture.exporters import default_export_path
from relecture.store import export_refusal
from relecture.tui.modals import SafeInput, after_typed_keys, steady_cursors


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: Path


class ExportModal(ModalScreen[ExportRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("enter", "export", "Export", priority=True, id="export.go"),
    ]

    def __init__(
        self, review_path: Path, formats: dict[str, str], fmt: str | None = None, folder: Path | None = None
    ) -> None:
        super().__init__()
        self.review_path = review_path
        self.formats = formats  # name -> suffix
        self.fmt = fmt if fmt in formats else next(iter(formats))
        self.folder = folder

    def _default_path(self) -> Path:
        path = default_export_path(self.review_path, self.fmt)
        return self.folder / path.name if self.folder is not None else path

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(Text("Export the review", style="bold"))
            yield OptionList(*[Option(Text(f"{name} ({suffix})"), id=name) for name, suffix in self.formats.items()],
                             id="export-formats")
            yield Label("File", classes="field-label")
            yield SafeInput(str(self._default_path()), id="export-path")
            yield Static(Text("up/down format · enter export · escape cancel", style="dim"), markup=False)

    def on_mount(self) -> None:
        steady_cursors(self)
        options = self.query_one(OptionList)
        options.highlighted = list(self.formats).index(self.fmt)
        options.focus()

    @on(OptionList.OptionHighlighted)
    def _format_changed(self, event: OptionList.OptionHighlighted) -> None:
        self.fmt = str(event.option.id)
        self.query_one(Input).value = str(self._default_path())

    def action_export(self) -> None:
        after_typed_keys(self, self._export_now)

    def _export_now(self) -> None:
        if not self.is_active:
            return  # already closed (enter pressed twice)
        value = self.query_one(Input).value.strip()
        if not value:
            self.notify("Give a file name.", severity="error")
            return
        path = Path(value).expanduser()
        if path.resolve() == self.review_path.resolve():
            self.notify("That is the review file itself; choose another name.", severity="error")
            return
        refused = export_refusal(self.review_path, path)
        if refused:  # the journal, lock or backup: overwriting one loses work
            self.notify(f"That {refused}; choose another name.", severity="error", markup=False)
            return
        self.dismiss(ExportRequest(self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
