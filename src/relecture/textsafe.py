"""Segment text is data: make it safe and visible on a terminal without changing its offsets.

Every character that a terminal would interpret or hide (C0/C1 controls such as ESC, DEL, bidi
embeddings and overrides, zero-width characters) is replaced by exactly one visible character, so
an offset into the original text is the same offset into the shown text and flag/annotation spans
highlight the right characters. Nothing here parses markup: callers build ``rich.text.Text``.
"""

from __future__ import annotations

import re
from functools import lru_cache

# One visible stand-in per invisible or interpreted character (same length: offsets survive).
_RTL_MARKS = "\u200f\u202b\u202e\u2067\u061c"
_LTR_MARKS = "\u200e\u202a\u202d\u2066"
_OTHER_FORMAT = "\u202c\u2068\u2069\u200b\u2060\ufeff\u00ad"


def _build_table(keep_newline: bool) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)  # Control Pictures: ␀ ... ␟, ESC -> ␛
    table[0x09] = "⇥"
    if keep_newline:
        del table[0x0A]
    else:
        table[0x0A] = "⏎"
    table[0x7F] = "␡"
    for code in range(0x80, 0xA0):
        table[code] = "⌧"
    for ch in _RTL_MARKS:
        table[ord(ch)] = "◂"
    for ch in _LTR_MARKS:
        table[ord(ch)] = "▸"
    for ch in _OTHER_FORMAT:
        table[ord(ch)] = "◇"
    table[0x2028] = "⏎"
    table[0x2029] = "⏎"
    return table


_INLINE = _build_table(keep_newline=False)
_BLOCK = _build_table(keep_newline=True)
# Editors (Input, TextArea) expand tabs themselves: only what a terminal would interpret or hide.
_EDITOR = {code: ch for code, ch in _BLOCK.items() if code != 0x09}
_EDITOR_LINE = {code: ch for code, ch in _INLINE.items() if code != 0x09}
ESCAPED = frozenset(chr(c) for c in _INLINE)


# Reports (HTML, Markdown) are read in browsers and editors, and sometimes `cat` to a terminal:
# only what a terminal would execute (C0 controls but tab and line feed, DEL, C1) and the bidi
# embeddings, overrides and isolates that reorder what is displayed are replaced there.
_REPORT = {
    code: ch for code, ch in _BLOCK.items()
    if (code < 0xA0 and code not in (0x09, 0x0D)) or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
}


# XML 1.0 cannot hold C0 controls other than tab, line feed and carriage return, nor U+FFFE/U+FFFF
# (lone surrogates never reach a document): where a format has no escape for them (attributes,
# notes, TMX), each becomes one visible sign, never a crash or a silent drop.
_XML_TABLE = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)}
_XML_TABLE.update({0xFFFE: "\ufffd", 0xFFFF: "\ufffd"})


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold as a visible sign (ESC as ␛)."""
    return text.translate(_XML_TABLE)


# Spreadsheets skip leading spaces (no-break and ideographic ones too), a BOM and zero-width
# characters before they look for a formula, and some read the full-width ＝ ＋ － ＠ as = + - @.
_FORMULA_START = re.compile(r"[\s\ufeff\u200b-\u200d\u2060]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212]|[\t\r]")


def formula_guard(value: str) -> str:
    """A spreadsheet cell that shows ``value`` and never runs it: a leading apostrophe when it
    would start a formula (the OWASP advice for CSV injection)."""
    return "'" + value if _FORMULA_START.match(value) else value


def formula_unguard(value: str) -> str:
    """``formula_guard`` undone, for a file relecture exported being read back."""
    return value[1:] if value.startswith("'") and _FORMULA_START.match(value, 1) else value


def report_safe(text: str) -> str:
    """``text`` for a report file: terminal controls and bidi overrides as visible signs (one
    character each, so offsets hold), everything else as written."""
    return text.translate(_REPORT)


def visible(text: str, keep_newlines: bool = True) -> str:
    """``text`` with each control/format character replaced by one visible character."""
    return text.translate(_BLOCK if keep_newlines else _INLINE)


def editable(text: str, keep_newlines: bool = True) -> str:
    """What an editor shows for ``text``: like ``visible`` but tabs stay tabs (same length).

    One-line editors (Input) pass ``keep_newlines=False``: a raw line feed would move the
    terminal's cursor to another row."""
    return text.translate(_EDITOR if keep_newlines else _EDITOR_LINE)


def visible_line(text: str) -> str:
    """Like ``visible`` but for a one-line context (list rows): line breaks become ``⏎``."""
    return text.translate(_INLINE)


@lru_cache(maxsize=64)
def escaped_positions(text: str) -> tuple[int, ...]:
    """Offsets of characters that ``visible`` replaced (they are styled as escapes)."""
    return tuple(i for i, ch in enumerate(text) if ch in ESCAPED and ch != "\n")
