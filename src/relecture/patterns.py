"""Regular expressions the user supplies (config rules, the workbench's search), run with a time budget.

A regular expression can take exponential time (``(a+)+$`` on forty letters), and Python's ``re``
holds the interpreter until it is done: neither ``q`` nor ctrl+c gets through. These patterns run
on the ``regex`` package instead, which stops a match after a time budget (``TimeoutError``) and
lets the interpreter run meanwhile (``concurrent``). ``VERSION0`` keeps ``re``'s syntax.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

# What a bad pattern raises when compiled: PatternError (a ValueError) and the engine's limits. (regex itself is imported only when a pattern is compiled: its import is a
# noticeable part of a small file's check.)
PATTERN_ERRORS: tuple[type[Exception], ...] = (ValueError, OverflowError, RecursionError)


def compile_pattern(pattern: str, flags: int = 0) -> Any:
    """``pattern`` compiled with ``re``'s syntax (``flags`` as ``re.IGNORECASE``, the same value in
    ``regex``); raises one of ``PATTERN_ERRORS`` for a bad pattern. The result is a ``regex.Pattern``."""
    import regex

    try:
        return regex.compile(pattern, flags | regex.VERSION0)
    except regex.error as exc:
        raise PatternError(str(exc)) from None


class PatternError(ValueError):
    """A regular expression that does not compile (regex.error, which is not a ValueError)."""


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
