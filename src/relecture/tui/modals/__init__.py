"""Modal screens, one per file; each returns a typed value through ``dismiss``."""

from textual.screen import Screen


def steady_cursors(screen: Screen[object]) -> None:
    """Follow the app's cursor_blink setting (off in tests and snapshots: stable frames)."""
    from textual.widgets import Input, TextArea

    blink = bool(getattr(screen.app, "cursor_blink", True))
    for widget in screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = blink
