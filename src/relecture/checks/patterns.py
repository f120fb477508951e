"""Regular expressions from files: custom rules, language data, a configuration's data tables.

Patterns come from files the user may not have written (a cloned project's ``relecture.toml``,
a colleague's data folder), and a regular expression can take exponential time (``(a|aa)+$``
on forty letters). Python's ``re`` then holds the interpreter until it is done: neither ``q``
in the workbench nor ctrl+c ends it. Every pattern read from a file is compiled here, on the
``regex`` package (``VERSION0``: ``re``'s syntax), which defuses many such patterns outright and
stops a search after ``BUDGET`` seconds while letting the interpreter run (a signal, the UI's
event loop). A pattern over budget gives up: it is reported once, as one line naming its file
and rule (``take_warnings``), finds nothing for the rest of the run, and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

# Seconds one pattern may spend on one text; an ordinary pattern needs microseconds.
BUDGET = 0.25
MAX_SHOWN = 60  # characters of a pattern quoted in its warning

# Messages of the patterns that gave up in this process, in order, each once.
_gave_up: dict[str, None] = {}


class BadPattern(ValueError):
    """The pattern does not compile; the message says why (the caller names the place)."""


class Pattern:
    """A compiled pattern from a file, searched within the time budget.

    ``where`` names the pattern's file and rule for the warning (a callable when naming it costs
    something: it is called only if the pattern ever gives up); ``shown`` is the pattern as the
    user wrote it, when the compiled one wraps it.
    """

    __slots__ = ("dead", "groupindex", "groups", "pattern", "regex", "where")

    def __init__(
        self, pattern: str, flags: int = 0, where: str | Callable[[], str] = "", shown: str | None = None
    ) -> None:
        try:
            self.regex: Any = regex.compile(pattern, flags | regex.VERSION0)
        except (regex.error, ValueError, OverflowError, RecursionError) as exc:
            raise BadPattern(str(exc)) from None
        self.pattern = pattern if shown is None else shown
        self.where = where
        self.dead = False
        self.groups: int = self.regex.groups
        self.groupindex: dict[str, int] = dict(self.regex.groupindex)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        if self.dead:
            return []
        try:
            # concurrent: the interpreter (the UI's event loop, a ctrl+c) runs meanwhile.
            return list(self.regex.finditer(text, pos, endpos, timeout=BUDGET, concurrent=True))
        except TimeoutError:
            self._give_up()
            return []

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._call(self.regex.search, text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._call(self.regex.match, text, pos, endpos)

    def _call(self, method: Callable[..., Any], text: str, pos: int, endpos: int | None) -> Any:
        if self.dead:
            return None
        try:
            return method(text, pos, endpos, timeout=BUDGET, concurrent=True)
        except TimeoutError:
            self._give_up()
            return None

    def _give_up(self) -> None:
        self.dead = True
        where = self.where() if callable(self.where) else self.where
        shown = self.pattern if len(self.pattern) <= MAX_SHOWN else self.pattern[: MAX_SHOWN - 1] + "…"
        _gave_up.setdefault(
            f"{where or 'a pattern'}: “{shown}” gave up after {BUDGET:g} s on one text: it backtracks too "
            "much (nested repeats such as (a|aa)+); skipped for the rest of the run, simplify it",
            None,
        )


def take_warnings() -> list[str]:
    """The patterns that gave up since the last call, one line each (then forgotten)."""
    out = list(_gave_up)
    _gave_up.clear()
    return out


def keep_warnings(messages: list[str]) -> None:
    """Record warnings taken in another process (a check worker) as this process's own."""
    for message in messages:
        _gave_up.setdefault(message, None)
