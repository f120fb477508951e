"""Modal screens, one per file; each returns a typed value through ``dismiss``."""

from collections.abc import Callable
from typing import Any, TypeVar

from rich.text import Text
from textual import events
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from relecture.textsafe import editable
from relecture.tui.render import show_space_signs, stylize_space_signs


class SafeInput(Input):
    """An Input whose value is data: control and bidi characters are drawn as visible stand-ins
    (one character each, so cursor columns hold) and never reach the terminal raw."""

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        # Non-breaking spaces as signs too (a suggested correction is often one).
        text = Text(show_space_signs(editable(self.value, keep_newlines=False)), no_wrap=True, overflow="ignore",
                    end="")
        stylize_space_signs(text, self.value)
        return self.highlighter(text) if self.highlighter is not None else text


class SafeTextArea(TextArea):
    """A TextArea that draws control and bidi characters as visible stand-ins (the text edited
    and saved is unchanged: only the drawing is)."""

    def get_line(self, line_index: int) -> Text:
        return Text(editable(self.document.get_line(line_index)), end="", no_wrap=True)

    async def _on_key(self, event: events.Key) -> None:
        # ctrl+n inserts its line break here, in order with the characters typed around it: as
        # a screen binding it would run after the keys behind it (a burst) were already typed.
        if event.key == "ctrl+n":
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)


ResultT = TypeVar("ResultT")


class TextDialog(ModalScreen[ResultT]):
    """A dialog holding text the reviewer types, which is never thrown away without asking.

    ``submit`` hands the result to ``on_submit`` (set by whoever opened the dialog) while the
    dialog is still open, and closes it only if that did not fail (``False``: a full disk, say):
    the typed text stays for another try. ``escape`` (``action_cancel``) with typed text asks
    first; so does quitting the app (see ``ReviewApp.action_quit``).
    """

    on_submit: Callable[[Any], bool | None] | None = None
    _opened_with: tuple[str, ...] = ()

    def typed_values(self) -> tuple[str, ...]:
        """The text of the dialog's fields, as the widgets hold it."""
        return ()

    def on_mount(self) -> None:
        # As the widgets hold it (a text area normalises line ends): what "unchanged" means.
        self._opened_with = self.typed_values()

    def has_typed_text(self) -> bool:
        """The dialog's text differs from what it opened with."""
        return self.is_mounted and self.typed_values() != self._opened_with

    def submit(self, result: ResultT) -> None:
        if self.on_submit is not None and self.on_submit(result) is False:
            return  # not saved (the message says why): the text stays here
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.has_typed_text():
            self.dismiss(None)
            return
        from relecture.tui.modals.confirm import DiscardModal

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            DiscardModal("Discard the text you typed?", "y discards it; n, escape or enter goes back to it."), answered
        )


def steady_cursors(screen: Screen[Any]) -> None:
    """Follow the app's cursor_blink setting (off in tests and snapshots: stable frames)."""
    from textual.widgets import Input, TextArea

    blink = bool(getattr(screen.app, "cursor_blink", True))
    for widget in screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = blink


def after_typed_keys(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """Run ``callback`` once the focused widget has handled every key already sent to it.

    Enter saves a dialog through a priority binding (from a text area it would otherwise insert a
    line break), so it runs as soon as the app reads the key; keys typed just before it (a fast
    typist, a paste, a script) may still wait in the focused widget's queue. Reading the value
    at once would cut them off; a callback queued behind them reads it whole.
    """
    focused = screen.focused
    if focused is None:
        callback()
    else:
        focused.call_later(callback)
