"""Errors a user can act on. The CLI prints them on one line and exits 2."""

from __future__ import annotations

from pathlib import Path

from relecture.textsafe import visible_line


class RelectureError(Exception):
    """An error caused by the user's input or environment, not by a bug."""

    exit_code = 2


class InputError(RelectureError):
    """Bad input: names the file and the place in it (line, column, JSON path, row...)."""

    def __init__(self, path: str | Path | None, message: str, place: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.place = place
        self.message = message
        where = self.path or "<input>"
        if place:
            where = f"{where}:{place}"
        # One line, whatever the input held: a key or a place taken from the file may carry a line
        # break or a terminal control, shown as its sign (⏎, ␛) instead.
        super().__init__(visible_line(f"{where}: {message}"))

    def __reduce__(self) -> tuple[type[InputError], tuple[str | None, str, str | None]]:
        # Raised in a forked check worker, it crosses back to the parent pickled.
        return (type(self), (self.path, self.message, self.place))


class LockedError(RelectureError):
    """Another live process holds the review file for writing."""

    def __init__(self, path: str | Path, holder: str) -> None:
        self.path = str(path)
        self.holder = holder
        super().__init__(
            f"{path}: already open for writing by {holder}; open it read-only or close the other session"
        )


class ReadOnlyError(RelectureError):
    """A change was attempted on a review opened read-only."""


class LoadingError(RelectureError):
    """A change or save was attempted before a progressively opened review finished loading."""


class SaveError(RelectureError):
    """Writing the review file failed; the previous file and the journal are intact."""


class ConflictError(SaveError):
    """The review file was changed by another program during the session: both versions kept."""
