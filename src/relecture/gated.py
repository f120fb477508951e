"""Patterns over the letters of a few scripts, compiled at the first text that holds one.

Python's ``re`` compiles a character class code point by code point: a class spanning the CJK
blocks costs 5-15 ms to compile, and a `relecture check` of one small catalogue compiles a
dozen of them at start-up, for texts that, in most runs, hold no such letter at all. A
``ScriptPattern`` declares the characters every match holds (``needs``); a text without any of
them is answered at once (no match), by one shared negated class that is cheap to compile.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache

# The gate lets through the characters it cannot rule out cheaply. It rules out those below the
# lowest of these floors at or under ``needs``'s first character, and general punctuation,
# currency, letterlike symbols, arrows and mathematical operators (U+2000-U+22FF: the quotes,
# dashes, narrow spaces and signs of Latin texts); filling a class's table costs about 0.15 us a
# code point, so a few thousand of them, once per floor, not the tens of thousands of the blocks.
_FLOORS = (0x3000, 0x0E00, 0x0900, 0x0370, 0x0080)
_SYMBOLS = (0x2000, 0x22FF)


def _ranges(body: str) -> list[tuple[int, int]]:
    """Code point ranges of a character-class body made of characters and ``a-b`` ranges (the
    characters themselves or ``\\uXXXX`` escapes): the only syntax the classes here use."""
    chars: list[int] = []
    i = 0
    while i < len(body):
        if body.startswith("\\u", i):
            chars.append(int(body[i + 2 : i + 6], 16))
            i += 6
        elif body[i] == "-" and chars and i + 1 < len(body):
            chars.append(-1)  # a range marker between two characters
            i += 1
        elif body[i] in "\\[]^":
            raise ValueError(f"unsupported class syntax at {i} in {body!r}")
        else:
            chars.append(ord(body[i]))
            i += 1
    out: list[tuple[int, int]] = []
    j = 0
    while j < len(chars):
        if j + 2 < len(chars) and chars[j + 1] == -1:
            out.append((chars[j], chars[j + 2]))
            j += 3
        else:
            out.append((chars[j], chars[j]))
            j += 1
    return sorted(out)


def _without(spans: list[tuple[int, int]], cut: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in spans:
        pieces = [(lo, hi)]
        for c_lo, c_hi in cut:
            pieces = [p for a, b in pieces for p in ((a, min(b, c_lo - 1)), (max(a, c_hi + 1), b)) if p[0] <= p[1]]
        out.extend(pieces)
    return out


@lru_cache(maxsize=32)
def _gate(needs: str) -> re.Pattern[str]:
    """A negated class matching every character not known to be outside ``needs``."""
    needed = _ranges(needs)
    floor = next(f for f in _FLOORS if f <= needed[0][0])
    spans = [(0, floor - 1)] + ([_SYMBOLS] if _SYMBOLS[0] >= floor else [])
    left_out = _without(spans, needed)
    body = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in left_out)
    return re.compile(f"[^{body}]")


class ScriptPattern:
    """A compiled ``re`` pattern of which every match holds a character of ``needs`` (a class
    body such as ``"\\u3040-\\u30ff\\u4e00-\\u9fff"``); compiled at the first text holding one."""

    __slots__ = ("_compiled", "_gate", "flags", "needs", "pattern")

    def __init__(self, pattern: str, needs: str, flags: int = 0) -> None:
        self.pattern, self.flags, self.needs = pattern, flags, needs
        self._compiled: re.Pattern[str] | None = None
        self._gate: Callable[[str], re.Match[str] | None] | None = None

    @classmethod
    def of_class(cls, body: str, flags: int = 0) -> ScriptPattern:
        """One character of the class ``[body]``."""
        return cls(f"[{body}]", body, flags)

    def _can_match(self, text: str) -> bool:
        if text.isascii():
            return False  # every class here is beyond ASCII (checked by the tests)
        gate = self._gate
        if gate is None:
            gate = self._gate = _gate(self.needs).search
        return gate(text) is not None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos) if self._can_match(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos) if self._can_match(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos) if self._can_match(text) else iter(())

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        return self.compiled.findall(text, pos, endpos) if self._can_match(text) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return self.compiled.sub(repl, text, count) if self._can_match(text) else text
