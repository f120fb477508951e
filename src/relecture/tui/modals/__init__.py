"""Modal screens, one per file; each returns a typed value through ``dismiss``."""

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Input, TextArea

from relecture.textsafe import editable


class SafeInput(Input):
    """An Input whose value is data: control and bidi characters are drawn as visible stand-ins
    (one character each, so cursor columns hold) and never reach the terminal raw."""

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(editable(self.value, keep_newlines=False), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text


class SafeTextArea(TextArea):
    """A TextArea that draws control and bidi characters as visible stand-ins (the text edited
    and saved is unchanged: only the drawing is)."""

    def get_line(self, line_index: int) -> Text:
        return Text(editable(self.document.get_line(line_index)), end="", no_wrap=True)


def steady_cursors(screen: Screen[object]) -> None:
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
