"""Parsed CSS shared by every workbench App in a process.

Textual parses its stylesheets (the app's files and every widget's DEFAULT_CSS) for each new App:
~30 ms of CPU, about a sixth of an App's start, paid again by every test that starts one. The
rules parsed from the same text, place and theme variables are the same rules, and Textual
only reads them once parsed (they are merged into each node's styles, never changed), so one
process-wide cache, keyed on the stylesheet's variables as well as Textual's own key, serves
them all. A theme change gives new variables, hence new keys: nothing is reused across themes.
"""

from __future__ import annotations

from typing import Any

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

_PARSED: LRUCache[tuple[Any, ...], Any] = LRUCache(1024)


class SharedParseCache:
    """Stands for a Stylesheet's own ``_parse_cache`` (the two operations Textual uses on it,
    and ``clear``, which it calls when the variables change: they are part of the key here)."""

    def __init__(self, stylesheet: Stylesheet) -> None:
        self._stylesheet = stylesheet
        self._variables: dict[str, str] | None = None
        self._signature: tuple[tuple[str, str], ...] = ()

    def _key(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        variables = self._stylesheet._variables
        if variables is not self._variables:  # set_variables puts a new dict in place
            self._variables = variables
            self._signature = tuple(sorted(variables.items()))
        return (key, self._signature)

    def __getitem__(self, key: tuple[Any, ...]) -> Any:
        found = _PARSED.get(self._key(key))
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and _PARSED.get(self._key(key)) is not None

    def __setitem__(self, key: tuple[Any, ...], rules: Any) -> None:
        _PARSED[self._key(key)] = rules

    def clear(self) -> None:
        self._variables = None


def share_parsed_css(stylesheet: Stylesheet) -> None:
    """Let ``stylesheet`` take its parsed rules from, and give them to, the process-wide cache."""
    stylesheet._parse_cache = SharedParseCache(stylesheet)  # type: ignore[assignment]
