"""Regular expressions the user supplies, run with a time budget: the patterns read from files
(custom rules, language data, a configuration's data tables) and the workbench's search.

Patterns come from files the user may not have written (a cloned project's ``relecture.toml``, a
colleague's data folder) or are typed in the search dialog, and a regular expression can take
exponential time (``(a|aa)+$`` on forty letters). Python's ``re`` then holds the interpreter until
it is done: neither ``q`` in the workbench nor ctrl+c ends it. Every such pattern is compiled here
(``compile_pattern``), on the ``regex`` package (``VERSION0``: ``re``'s syntax), which defuses many
such patterns outright and stops a match after a time budget (``TimeoutError``) while letting the
interpreter run (``concurrent``: a signal, the UI's event loop).

Two ways to spend the budget:
- ``Pattern``, for patterns from files: ``BUDGET`` seconds per text; a pattern over budget gives up:
  it is reported once, as one line naming its file and rule (``take_warnings``), finds nothing for
  the rest of the run, and the run goes on.
- ``search``/``finditer`` with a ``Deadline``, for the workbench's search: one budget shared by the
  matches over a whole document; ``TimeoutError`` reaches the caller, which says so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

# What a bad pattern raises when compiled: BadPattern (a ValueError) and the engine's limits.
# (regex itself is imported only when a pattern is compiled: its import is a noticeable part of
# a small file's check.)
PATTERN_ERRORS: tuple[type[Exception], ...] = (ValueError, OverflowError, RecursionError)


class BadPattern(ValueError):
    """The pattern does not compile; the message says why (the caller names the place)."""


def compile_pattern(pattern: str, flags: int = 0) -> Any:
    """``pattern`` compiled with ``re``'s syntax (``flags`` as ``re.IGNORECASE``, the same value in
    ``regex``); ``BadPattern`` for a bad pattern. The result is a ``regex.Pattern``."""
    import regex  # at the first pattern compiled: a small file's check may need none

    try:
        return regex.compile(pattern, flags | regex.VERSION0)
    except (regex.error, *PATTERN_ERRORS) as exc:
        raise BadPattern(str(exc)) from None


# --- patterns from files: a budget per text, given up once over it --------------------------------

# Seconds one pattern may spend on one text; an ordinary pattern needs microseconds.
BUDGET = 0.25
MAX_SHOWN = 60  # characters of a pattern quoted in its warning

# Messages of the patterns that gave up in this process, in order, each once.
_gave_up: dict[str, None] = {}


# The one pair of letters Python's re equates case-insensitively and regex does not (dotless ı
# and i: re lower-cases through I). Where it matters, the text is searched with ı read as i (one
# character for one: offsets hold) and the matches report the original text.
_DOTLESS = "\u0131"
_AS_I = str.maketrans(_DOTLESS, "i")


class Pattern:
    """A compiled pattern from a file, searched within the time budget.

    ``where`` names the pattern's file and rule for the warning (a callable when naming it costs
    something: it is called only if the pattern ever gives up); ``shown`` is the pattern as the
    user wrote it, when the compiled one wraps it.
    """

    __slots__ = ("dead", "fold", "groupindex", "groups", "pattern", "regex", "where")

    def __init__(
        self, pattern: str, flags: int = 0, where: str | Callable[[], str] = "", shown: str | None = None
    ) -> None:
        self.fold = bool(flags & re.IGNORECASE)  # the same bit in regex
        self.regex: Any = compile_pattern(pattern.translate(_AS_I) if self.fold else pattern, flags)
        self.pattern = pattern if shown is None else shown
        self.where = where
        self.dead = False
        self.groups: int = self.regex.groups
        self.groupindex: dict[str, int] = dict(self.regex.groupindex)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        if self.dead:
            return []
        folded = self.fold and _DOTLESS in text
        try:
            # concurrent: the interpreter (the UI's event loop, a ctrl+c) runs meanwhile.
            found = list(self.regex.finditer(
                text.translate(_AS_I) if folded else text, pos, endpos, timeout=BUDGET, concurrent=True
            ))
        except TimeoutError:
            self._give_up()
            return []
        return [_OnOriginal(m, text) for m in found] if folded else found

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._call(self.regex.search, text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._call(self.regex.match, text, pos, endpos)

    def _call(self, method: Callable[..., Any], text: str, pos: int, endpos: int | None) -> Any:
        if self.dead:
            return None
        folded = self.fold and _DOTLESS in text
        try:
            m = method(text.translate(_AS_I) if folded else text, pos, endpos, timeout=BUDGET, concurrent=True)
        except TimeoutError:
            self._give_up()
            return None
        return _OnOriginal(m, text) if folded and m is not None else m

    def _give_up(self) -> None:
        self.dead = True
        where = self.where() if callable(self.where) else self.where
        shown = self.pattern if len(self.pattern) <= MAX_SHOWN else self.pattern[: MAX_SHOWN - 1] + "…"
        _gave_up.setdefault(
            f"{where or 'a pattern'}: “{shown}” gave up after {BUDGET:g} s on one text: it backtracks too "
            "much (nested repeats such as (a|aa)+); skipped for the rest of the run, simplify it",
            None,
        )


class _OnOriginal:
    """A match made on the text with ı read as i, whose groups are read from the original."""

    __slots__ = ("_match", "string")

    def __init__(self, match: Any, text: str) -> None:
        self._match = match
        self.string = text

    def start(self, group: int | str = 0) -> int:
        return int(self._match.start(group))

    def end(self, group: int | str = 0) -> int:
        return int(self._match.end(group))

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self.start(group), self.end(group)

    def group(self, *groups: int | str) -> Any:
        if len(groups) > 1:
            return tuple(self._piece(g) for g in groups)
        return self._piece(groups[0] if groups else 0)

    def groups(self, default: Any = None) -> tuple[Any, ...]:
        return tuple(self._piece(i, default) for i in range(1, self._match.re.groups + 1))

    def groupdict(self, default: Any = None) -> dict[str, Any]:
        return {name: self._piece(name, default) for name in self._match.re.groupindex}

    def _piece(self, group: int | str, default: Any = None) -> Any:
        start, end = self._match.span(group)
        return default if start < 0 else self.string[start:end]


def take_warnings() -> list[str]:
    """The patterns that gave up since the last call, one line each (then forgotten)."""
    out = list(_gave_up)
    _gave_up.clear()
    return out


def keep_warnings(messages: list[str]) -> None:
    """Record warnings taken in another process (a check worker) as this process's own."""
    for message in messages:
        _gave_up.setdefault(message, None)


# --- the workbench's search: one deadline over many matches ---------------------------------------


def finditer(pattern: Any, text: str, budget: float) -> Iterator[Any]:
    """The matches of ``pattern`` in ``text``; ``TimeoutError`` once they take over ``budget`` s.
    A pattern of ``re`` (escaped literal text, which runs in linear time) runs as it is."""
    if isinstance(pattern, re.Pattern):
        return pattern.finditer(text)
    return pattern.finditer(text, timeout=budget, concurrent=True)


def search(pattern: Any, text: str, budget: float) -> bool:
    """Whether ``pattern`` occurs in ``text``; ``TimeoutError`` past ``budget`` seconds."""
    if isinstance(pattern, re.Pattern):
        return pattern.search(text) is not None
    return pattern.search(text, timeout=budget, concurrent=True) is not None


class Deadline:
    """One budget shared by many matches (a search over every segment of a document)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left for the next match; ``TimeoutError`` when none are."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"gave up after {self.seconds:g} s")
        return left
